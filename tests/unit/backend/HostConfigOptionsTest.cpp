#include "backend/HostConfigOptions.h"

#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

using wiretap::backend::goDuration;
using wiretap::backend::hostConfigOptions;
using Words = std::vector<std::string>;

namespace
{

Words options(const std::string& hostConfig)
{
    const auto object = Poco::JSON::Parser().parse(hostConfig).extract<Poco::JSON::Object::Ptr>();
    return hostConfigOptions(*object, [](const std::string& id) { return "name-of-" + id; });
}

} // namespace

class HostConfigOptionsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(HostConfigOptionsTest);
    CPPUNIT_TEST(testDurationsAsTheCliParsesThem);
    CPPUNIT_TEST(testCpusAsDecimal);
    CPPUNIT_TEST(testIpv6HostIpIsBracketed);
    CPPUNIT_TEST(testEngineDefaultsAreLeftOut);
    CPPUNIT_TEST(testContainerModesAreResolved);
    CPPUNIT_TEST(testThrottlesAndUnlimitedSwap);
    CPPUNIT_TEST_SUITE_END();

public:
    void testDurationsAsTheCliParsesThem()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("30s"), goDuration(30000000000LL));
        CPPUNIT_ASSERT_EQUAL(std::string("2m"), goDuration(120000000000LL));
        CPPUNIT_ASSERT_EQUAL(std::string("1500ms"), goDuration(1500000000LL));
        CPPUNIT_ASSERT_EQUAL(std::string("250us"), goDuration(250000));
        CPPUNIT_ASSERT_EQUAL(std::string("7ns"), goDuration(7));
    }

    void testCpusAsDecimal()
    {
        CPPUNIT_ASSERT(Words({"--cpus=1.25"}) == options(R"({"NanoCpus":1250000000})"));
        CPPUNIT_ASSERT(Words({"--cpus=2"}) == options(R"({"NanoCpus":2000000000})"));
        CPPUNIT_ASSERT(Words({"--cpus=0.001"}) == options(R"({"NanoCpus":1000000})"));
    }

    void testIpv6HostIpIsBracketed()
    {
        CPPUNIT_ASSERT(Words({"--publish=[::1]:8080:80/tcp", "--publish=0.0.0.0:8081:80/tcp"}) ==
                       options(R"({"PortBindings":{"80/tcp":[{"HostIp":"::1","HostPort":"8080"},
                           {"HostIp":"0.0.0.0","HostPort":"8081"}]}})"));
    }

    void testEngineDefaultsAreLeftOut()
    {
        CPPUNIT_ASSERT(options(R"({"RestartPolicy":{"Name":"no","MaximumRetryCount":0},"IpcMode":"private",
            "ShmSize":67108864,"Runtime":"runc","LogConfig":{"Type":"json-file","Config":{}},"OomKillDisable":false,
            "MemorySwappiness":null,"PidsLimit":0,"Init":false})")
                           .empty());
    }

    void testContainerModesAreResolved()
    {
        CPPUNIT_ASSERT(Words({"--pid=container:name-of-abc", "--ipc=container:name-of-def"}) ==
                       options(R"({"PidMode":"container:abc","IpcMode":"container:def"})"));
    }

    void testThrottlesAndUnlimitedSwap()
    {
        CPPUNIT_ASSERT(
            Words({"--memory=1048576", "--memory-swap=-1", "--memory-swappiness=0", "--blkio-weight=300",
                   "--blkio-weight-device=/dev/sda:200", "--device-read-bps=/dev/sda:1048576",
                   "--device-write-iops=/dev/sda:100", "--oom-kill-disable"}) ==
            options(R"({"Memory":1048576,"MemorySwap":-1,"MemorySwappiness":0,"BlkioWeight":300,
                           "BlkioWeightDevice":[{"Path":"/dev/sda","Weight":200}],
                           "BlkioDeviceReadBps":[{"Path":"/dev/sda","Rate":1048576}],
                           "BlkioDeviceWriteIOps":[{"Path":"/dev/sda","Rate":100}],"OomKillDisable":true})"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HostConfigOptionsTest);
