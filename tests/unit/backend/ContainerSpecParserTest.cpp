#include "backend/ContainerSpecParser.h"
#include "InspectFixtures.h"
#include "backend/BackendError.h"
#include "backend/CreateArgsBuilder.h"

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cppunit/extensions/HelperMacros.h>
#include <fstream>

using wiretap::backend::BackendError;
using wiretap::backend::ContainerSpec;
using wiretap::backend::ContainerSpecParser;
using wiretap::backend::CreateArgsBuilder;
using wiretap::backend::InspectFixtures;
using wiretap::backend::NetworkEndpoint;
using Words = std::vector<std::string>;

namespace
{

const std::string label = "--label=wiretap.e2e.test=backend_fidelity";
const std::string bind = "/tmp/wtb/sb/fidelity-bind";

ContainerSpec parse(const std::string& fixture, const std::string& image = "image-v1")
{
    return ContainerSpecParser::parse(*InspectFixtures::load(fixture), *InspectFixtures::load(image),
                                      InspectFixtures::names());
}

/// The options without the two every recorded container has (its test label and cgroupns).
Words own(const ContainerSpec& spec)
{
    Words words;
    for (const auto& word : spec.options)
        if (word != label && word != "--cgroupns=host" && word.rfind("--volume=", 0) != 0)
            words.push_back(word);
    return words;
}

bool has(const ContainerSpec& spec, const std::string& word)
{
    return std::find(spec.options.begin(), spec.options.end(), word) != spec.options.end();
}

Poco::JSON::Object::Ptr json(const std::string& text)
{
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

} // namespace

class ContainerSpecParserTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ContainerSpecParserTest);
    CPPUNIT_TEST(testPlainContainerKeepsOnlyItsLabelAndAnonymousVolume);
    CPPUNIT_TEST(testUserNetworkAliasesLeaveOutTheShortId);
    CPPUNIT_TEST(testStaticAddressesArePinnedDynamicOnesNot);
    CPPUNIT_TEST(testFurtherNetworksAreConnectedAfterCreate);
    CPPUNIT_TEST(testHostNoneAndContainerModesCarryNoHostnameOrNetworks);
    CPPUNIT_TEST(testContainerModesAndLinksUseNames);
    CPPUNIT_TEST(testPortsWithRangesUdpHostIpRandomAndPublishAll);
    CPPUNIT_TEST(testExplicitEnvIsKeptInheritedEnvIsNot);
    CPPUNIT_TEST(testLabelsEqualToTheImagesAreInherited);
    CPPUNIT_TEST(testIdentityFlags);
    CPPUNIT_TEST(testEntrypointAndCommandKeepQuotesAndDollars);
    CPPUNIT_TEST(testVolumesBindsMountsTmpfsAndVolumesFrom);
    CPPUNIT_TEST(testRestartStopAndAutoRemove);
    CPPUNIT_TEST(testSecurityDevicesAndCapabilities);
    CPPUNIT_TEST(testDnsHostsAndLogging);
    CPPUNIT_TEST(testResources);
    CPPUNIT_TEST(testHealthchecks);
    CPPUNIT_TEST(testNamespacesSysctlsGroups);
    CPPUNIT_TEST(testValuesEqualToTheImagesDefaultsAreInherited);
    CPPUNIT_TEST(testNewerEngineShape);
    CPPUNIT_TEST(testNullEmptyAndMissingMeanUnset);
    CPPUNIT_TEST(testUserSetMacIsKeptEngineMacIsNot);
    CPPUNIT_TEST(testGoneImageKeepsEverything);
    CPPUNIT_TEST(testRejectsWhatIsNotAContainer);
    CPPUNIT_TEST(testNoRecordedContainerPinsEngineMadeValues);
    CPPUNIT_TEST(testNetworkModeGivenByIdBecomesTheName);
    CPPUNIT_TEST_SUITE_END();

public:
    void testPlainContainerKeepsOnlyItsLabelAndAnonymousVolume()
    {
        const auto container = InspectFixtures::load("fid-00");
        const auto spec = parse("fid-00");
        CPPUNIT_ASSERT_EQUAL(std::string("fid-00"), spec.name);
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1:5000/wiretap-e2e/backend:v1"), spec.image);
        CPPUNIT_ASSERT(Words({label, "--volume=" + InspectFixtures::volumeAt(*container, "/data") + ":/data",
                              "--cgroupns=host"}) == spec.options);
        CPPUNIT_ASSERT(spec.networkMode.empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), spec.networks.size());
        CPPUNIT_ASSERT((NetworkEndpoint{"bridge", {}, "", "", {}, {}, "", {}} == spec.networks[0]));
        CPPUNIT_ASSERT(!spec.entrypointSet && !spec.commandSet && !spec.autoRemove);
        CPPUNIT_ASSERT(Words({"create", "--name=web", label,
                              "--volume=" + InspectFixtures::volumeAt(*container, "/data") + ":/data",
                              "--cgroupns=host", "img:2"}) ==
                       CreateArgsBuilder::createArgs(spec, "img:2", "web"));
    }

    void testUserNetworkAliasesLeaveOutTheShortId()
    {
        const auto spec = parse("fid-02");
        CPPUNIT_ASSERT_EQUAL(std::string("fidnet"), spec.networkMode);
        CPPUNIT_ASSERT(Words({"web", "www.example"}) == spec.networks.at(0).aliases);
        const auto args = CreateArgsBuilder::createArgs(spec, "i", "n");
        CPPUNIT_ASSERT(Words({"create", "--name=n", "--network=fidnet", "--network-alias=web",
                              "--network-alias=www.example"}) == Words(args.begin(), args.begin() + 5));
    }

    void testStaticAddressesArePinnedDynamicOnesNot()
    {
        const auto spec = parse("fid-03");
        CPPUNIT_ASSERT_EQUAL(std::string("172.31.0.50"), spec.networks.at(0).ipv4);
        CPPUNIT_ASSERT_EQUAL(std::string("fd00:31::50"), spec.networks.at(0).ipv6);
        CPPUNIT_ASSERT(parse("fid-02").networks.at(0).ipv4.empty());
        CPPUNIT_ASSERT(parse("fid-00").networks.at(0).ipv4.empty());
    }

    void testFurtherNetworksAreConnectedAfterCreate()
    {
        const auto spec = parse("fid-04");
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), spec.networks.size());
        CPPUNIT_ASSERT_EQUAL(std::string("fidnet"), spec.networks[0].network);
        const auto later = CreateArgsBuilder::laterNetworks(spec);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), later.size());
        CPPUNIT_ASSERT(Words({"network", "connect", "--alias=back", "--alias=api", "fidnet2", "web"}) ==
                       CreateArgsBuilder::networkConnectArgs(later[0], "web"));
        CPPUNIT_ASSERT(Words({"network", "connect", "--ip=172.31.1.60", "fidnet3", "web"}) ==
                       CreateArgsBuilder::networkConnectArgs(later[1], "web"));
    }

    void testHostNoneAndContainerModesCarryNoHostnameOrNetworks()
    {
        for (const char* fixture : {"fid-05", "fid-06", "fid-07"})
        {
            const auto spec = parse(fixture);
            CPPUNIT_ASSERT(spec.networks.empty());
            for (const auto& word : spec.options)
                CPPUNIT_ASSERT(word.rfind("--hostname", 0) != 0);
        }
        CPPUNIT_ASSERT_EQUAL(std::string("host"), parse("fid-05").networkMode);
        CPPUNIT_ASSERT_EQUAL(std::string("none"), parse("fid-06").networkMode);
        CPPUNIT_ASSERT(Words({"/bin/busybox", "httpd", "-f", "-p", "5101", "-h", "/www"}) ==
                       parse("fid-05").command);
    }

    void testContainerModesAndLinksUseNames()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("container:fid-base"), parse("fid-07").networkMode);
        CPPUNIT_ASSERT(Words({"fid-base"}) == parse("fid-07").dependsOn);
        CPPUNIT_ASSERT(has(parse("fid-46"), "--ipc=container:fid-base"));
        // Without the name of the id, the id stays (still valid while that container lives).
        const auto unresolved =
            ContainerSpecParser::parse(*InspectFixtures::load("fid-07"), *InspectFixtures::load("image-v1"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("container:22bfb65151df8dc3f10b290f58e9139e558460c11c81f28d75fc8f203d2b5447"),
            unresolved.networkMode);
        const auto legacy = parse("fid-08");
        CPPUNIT_ASSERT(has(legacy, "--link=fid-base:base") && has(legacy, "--link=fid-base:fid-base"));
        CPPUNIT_ASSERT(legacy.networks.at(0).links.empty());
        CPPUNIT_ASSERT(Words({"fid-base:b2"}) == parse("fid-09").networks.at(0).links);
    }

    void testPortsWithRangesUdpHostIpRandomAndPublishAll()
    {
        CPPUNIT_ASSERT(Words({"--publish=8101:5000/tcp", "--publish=127.0.0.1:8102:5000/tcp",
                              "--publish=8103:5001/udp"}) == own(parse("fid-10")));
        CPPUNIT_ASSERT(Words({"--publish=8104:6000/tcp", "--publish=8105:6001/tcp",
                              "--publish=127.0.0.1:8106:7000/udp", "--publish=127.0.0.1:8107:7001/udp"}) ==
                       own(parse("fid-11")));
        CPPUNIT_ASSERT(Words({"--publish=5000/tcp", "--publish=127.0.0.1::5001/udp"}) ==
                       own(parse("fid-12")));
        CPPUNIT_ASSERT(Words({"--expose=7100/tcp", "--expose=7101/udp", "--expose=7102/udp",
                              "--publish-all"}) == own(parse("fid-13")));
    }

    void testExplicitEnvIsKeptInheritedEnvIsNot()
    {
        CPPUNIT_ASSERT(Words({"--env=A=1", "--env=B=two words",
                              "--env=C=\xc3\xbcn\xc3\xaf"
                              "c\xc3\xb8"
                              "d\xc3\xa9 \xe2\x9c\x93",
                              "--env=D=$HOME \"q\" 's'", "--env=EMPTY=", "--env=APP_VERSION=pinned"}) ==
                       own(parse("fid-14")));
    }

    void testLabelsEqualToTheImagesAreInherited()
    {
        CPPUNIT_ASSERT(Words({"--label=a=1", "--label=b=with space",
                              "--label=com.example.json={\"k\": [1, 2]}"}) == own(parse("fid-15")));
    }

    void testIdentityFlags()
    {
        CPPUNIT_ASSERT(Words({"--hostname=web01", "--domainname=example.org"}) == own(parse("fid-16")));
        CPPUNIT_ASSERT(Words({"--user=1000:1000", "--workdir=/tmp"}) == own(parse("fid-17")));
        CPPUNIT_ASSERT(Words({"--tty", "--interactive"}) == own(parse("fid-18")));
    }

    void testEntrypointAndCommandKeepQuotesAndDollars()
    {
        const auto sh = parse("fid-19");
        CPPUNIT_ASSERT(sh.entrypointSet && sh.commandSet);
        const auto args = CreateArgsBuilder::createArgs(sh, "img", "n");
        CPPUNIT_ASSERT(Words({"--entrypoint=/bin/sh", "img", "-c",
                              "echo \"it's $HOME\" > /tmp/x; exec /bin/busybox httpd -f -p 5000 -h /www"}) ==
                       Words(args.end() - 4, args.end()));
        const auto cmd = parse("fid-20");
        CPPUNIT_ASSERT(!cmd.entrypointSet && cmd.commandSet);
        CPPUNIT_ASSERT(Words({"/bin/busybox", "sh", "-c",
                              "A=\"a b\"; echo \"$A\" '$B' \\\\; exec httpd -f -p 5000 -h /www"}) ==
                       cmd.command);
        // `--entrypoint ''` on an image without one, and the image's own Cmd: nothing to pin.
        const auto same = parse("fid-21");
        CPPUNIT_ASSERT(!same.entrypointSet && !same.commandSet);
    }

    void testVolumesBindsMountsTmpfsAndVolumesFrom()
    {
        const auto container = InspectFixtures::load("fid-22");
        const auto spec = parse("fid-22");
        CPPUNIT_ASSERT(has(spec, "--volume=" + bind + ":/mnt/bind:ro"));
        CPPUNIT_ASSERT(has(spec, "--volume=" + bind + ":/mnt/bind2:rw,z"));
        CPPUNIT_ASSERT(has(spec, "--volume=fidvol-fid-22:/vol"));
        CPPUNIT_ASSERT(has(spec, "--volume=" + InspectFixtures::volumeAt(*container, "/anon") + ":/anon"));
        CPPUNIT_ASSERT(has(spec, "--volume=" + InspectFixtures::volumeAt(*container, "/data") + ":/data"));
        const auto mounts = InspectFixtures::load("fid-23");
        const auto m = parse("fid-23");
        CPPUNIT_ASSERT(
            has(m, "--mount=type=bind,source=" + bind + ",target=/mnt/m,readonly,bind-propagation=rprivate"));
        CPPUNIT_ASSERT(has(m, "--mount=type=volume,source=fidmvol-fid-23,target=/"
                              "mvol,volume-nocopy,volume-label=owner=wiretap"));
        CPPUNIT_ASSERT(has(m, "--mount=type=volume,source=" +
                                  InspectFixtures::volumeAt(*mounts, "/anonmount") + ",target=/anonmount"));
        CPPUNIT_ASSERT(has(m, "--mount=type=tmpfs,target=/scratch,tmpfs-size=1048576,tmpfs-mode=1770"));
        CPPUNIT_ASSERT(Words({"--tmpfs=/cache", "--tmpfs=/run:rw,size=65536k"}) == own(parse("fid-24")));
        CPPUNIT_ASSERT(Words({"--volumes-from=fid-base:ro"}) == own(parse("fid-25")));
    }

    void testRestartStopAndAutoRemove()
    {
        CPPUNIT_ASSERT(Words({"--restart=on-failure:3"}) == own(parse("fid-26")));
        CPPUNIT_ASSERT(Words({"--restart=unless-stopped"}) == own(parse("fid-27")));
        CPPUNIT_ASSERT(Words({"--stop-signal=SIGUSR1", "--stop-timeout=3", "--restart=always"}) ==
                       own(parse("fid-28")));
        const auto rm = parse("fid-29");
        CPPUNIT_ASSERT(rm.autoRemove && has(rm, "--rm"));
    }

    void testSecurityDevicesAndCapabilities()
    {
        CPPUNIT_ASSERT(Words({"--cap-add=CAP_NET_ADMIN", "--cap-add=CAP_SYS_TIME", "--cap-drop=CAP_CHOWN",
                              "--cap-drop=CAP_MKNOD"}) == own(parse("fid-30")));
        CPPUNIT_ASSERT(has(parse("fid-31"), "--privileged"));
        CPPUNIT_ASSERT(Words({"--device=/dev/null:/dev/xnull:rw", "--device=/dev/zero:/dev/zero:rwm"}) ==
                       own(parse("fid-32")));
        CPPUNIT_ASSERT(Words({"--security-opt=no-new-privileges", "--security-opt=seccomp=unconfined",
                              "--security-opt=label=disable"}) == own(parse("fid-33")));
        CPPUNIT_ASSERT(Words({"--shm-size=134217728", "--read-only", "--init"}) == own(parse("fid-34")));
    }

    void testDnsHostsAndLogging()
    {
        CPPUNIT_ASSERT(Words({"--dns=10.0.0.53", "--dns=10.0.0.54", "--dns-search=example.com",
                              "--dns-option=ndots:2", "--dns-option=timeout:3",
                              "--add-host=db.local:10.1.2.3", "--add-host=v6.local:fd00::1"}) ==
                       own(parse("fid-35")));
        CPPUNIT_ASSERT(Words({"--log-driver=json-file", "--log-opt=labels=a", "--log-opt=max-file=3",
                              "--log-opt=max-size=10k"}) == own(parse("fid-36")));
        CPPUNIT_ASSERT(Words({"--log-driver=local", "--log-opt=max-size=1m"}) == own(parse("fid-37")));
        CPPUNIT_ASSERT(Words({"--log-driver=none"}) == own(parse("fid-38")));
    }

    void testResources()
    {
        CPPUNIT_ASSERT(Words({"--memory=67108864", "--memory-reservation=33554432", "--memory-swap=134217728",
                              "--oom-score-adj=500"}) == own(parse("fid-39")));
        CPPUNIT_ASSERT(Words({"--cpus=0.5", "--cpu-shares=512", "--cpuset-cpus=0", "--pids-limit=100"}) ==
                       own(parse("fid-40")));
        CPPUNIT_ASSERT(Words({"--ulimit=nofile=1024:2048", "--ulimit=nproc=512:1024",
                              "--cgroup-parent=/wiretap-test"}) == own(parse("fid-41")));
    }

    void testHealthchecks()
    {
        CPPUNIT_ASSERT(
            Words({"--health-cmd=wget -q -O /dev/null http://127.0.0.1:5000/ && echo \"ok $HOSTNAME\"",
                   "--health-interval=5s", "--health-timeout=3s", "--health-start-period=1s",
                   "--health-retries=2"}) == own(parse("fid-42")));
        // Only the interval was given: the engine merged the image's test, which stays inherited.
        CPPUNIT_ASSERT(Words({"--health-interval=7s"}) == own(parse("fid-43")));
        CPPUNIT_ASSERT(Words({"--no-healthcheck"}) == own(parse("fid-44")));
    }

    void testNamespacesSysctlsGroups()
    {
        const auto pid = own(parse("fid-45"));
        CPPUNIT_ASSERT(std::find(pid.begin(), pid.end(), "--pid=host") != pid.end());
        CPPUNIT_ASSERT(std::find(pid.begin(), pid.end(), "--uts=host") != pid.end());
        CPPUNIT_ASSERT(Words({"--ipc=shareable", "--sysctl=kernel.shm_rmid_forced=1",
                              "--sysctl=net.ipv4.ip_forward=1"}) == own(parse("fid-47")));
        const auto groups = parse("fid-48");
        CPPUNIT_ASSERT(Words({"--group-add=42", "--group-add=1001", "--cgroupns=private"}) == own(groups));
    }

    void testValuesEqualToTheImagesDefaultsAreInherited()
    {
        // -e APP_VERSION=pinned --health-cmd true --stop-signal SIGTERM --workdir /www: the last two
        // equal image v1's and cannot be told from inherited ones.
        CPPUNIT_ASSERT(Words({"--env=APP_VERSION=pinned", "--health-cmd=true"}) == own(parse("fid-49")));
        // Against another image, the same container's values are all explicit.
        const auto other = own(parse("fid-00", "image-v2"));
        CPPUNIT_ASSERT(std::find(other.begin(), other.end(), "--env=APP_VERSION=1.0") != other.end());
        CPPUNIT_ASSERT(std::find(other.begin(), other.end(), "--workdir=/www") != other.end());
        CPPUNIT_ASSERT(std::find(other.begin(), other.end(), "--stop-signal=SIGTERM") != other.end());
    }

    void testNewerEngineShape()
    {
        const auto spec = parse("api-1.48-handmade");
        CPPUNIT_ASSERT(Words({"front"}) == spec.networks.at(0).aliases);
        CPPUNIT_ASSERT_EQUAL(std::string("92:d0:c6:0a:29:33"), spec.networks.at(0).macAddress);
        CPPUNIT_ASSERT(spec.networks.at(1).macAddress.empty() && spec.networks.at(2).macAddress.empty());
        CPPUNIT_ASSERT(has(spec, "--annotation=com.example.note=kept"));
        CPPUNIT_ASSERT(has(spec, "--cgroupns=private"));
        CPPUNIT_ASSERT(has(spec, "--health-start-interval=2s"));
        CPPUNIT_ASSERT(has(spec, "--mount=type=volume,source=appdata,target=/sub,volume-subpath=a/b"));
        for (const auto& word : spec.options)
            CPPUNIT_ASSERT(word.rfind("--dns", 0) != 0 && word.rfind("--publish", 0) != 0 &&
                           word != "--init");
        const auto args = CreateArgsBuilder::createArgs(spec, "img", "fid-04");
        CPPUNIT_ASSERT(std::find(args.begin(), args.end(), "--mac-address=92:d0:c6:0a:29:33") != args.end());
    }

    void testNullEmptyAndMissingMeanUnset()
    {
        const auto image = json(R"({"Id":"sha256:1","Config":{"Env":null,"Cmd":["run"],"Labels":{}}})");
        const auto nulls = json(R"({"Id":"0123456789abcdef","Name":"/a","Config":{"Hostname":"0123456789ab",
            "Env":null,"Cmd":["run"],"Labels":null,"ExposedPorts":null,"Volumes":null,"Entrypoint":null},
            "HostConfig":{"Binds":null,"Dns":null,"PortBindings":null,"RestartPolicy":null,"LogConfig":null,
            "Ulimits":null,"Devices":null,"Tmpfs":null,"Mounts":null,"Init":null,"PidsLimit":null,
            "MemorySwappiness":null,"NetworkMode":"default"},"Mounts":null,"NetworkSettings":{"Networks":null}})");
        const auto empties = json(R"({"Id":"0123456789abcdef","Name":"/a","Config":{"Env":[],"Cmd":["run"],
            "Labels":{},"ExposedPorts":{},"Volumes":{}},"HostConfig":{"Binds":[],"Dns":[],"PortBindings":{},
            "Ulimits":[],"Devices":[],"Tmpfs":{},"Mounts":[],"CapAdd":[],"Sysctls":{}},"Mounts":[]})");
        const auto missing =
            json(R"({"Id":"0123456789abcdef","Name":"/a","Config":{"Cmd":["run"]},"HostConfig":{}})");
        for (const auto& container : {nulls, empties, missing})
        {
            const auto spec = ContainerSpecParser::parse(*container, *image);
            CPPUNIT_ASSERT_EQUAL(std::size_t(0), spec.options.size());
            CPPUNIT_ASSERT(spec.networks.empty() && spec.networkMode.empty() && !spec.commandSet);
        }
    }

    void testUserSetMacIsKeptEngineMacIsNot()
    {
        const auto image = json(R"({"Config":{}})");
        const auto set = json(R"({"Id":"0123456789abcdef","Config":{"MacAddress":"02:11:22:33:44:55"},
            "HostConfig":{"NetworkMode":"default"},"NetworkSettings":{"Networks":{"bridge":
            {"MacAddress":"02:11:22:33:44:55"}}}})");
        CPPUNIT_ASSERT_EQUAL(std::string("02:11:22:33:44:55"),
                             ContainerSpecParser::parse(*set, *image).networks.at(0).macAddress);
        const auto generated = json(R"({"Id":"0123456789abcdef","Config":{"MacAddress":"02:42:ac:11:00:02"},
            "HostConfig":{"NetworkMode":"default"},"NetworkSettings":{"Networks":{"bridge":
            {"MacAddress":"02:42:ac:11:00:02"}}}})");
        CPPUNIT_ASSERT(ContainerSpecParser::parse(*generated, *image).networks.at(0).macAddress.empty());
    }

    void testGoneImageKeepsEverything()
    {
        const auto spec = ContainerSpecParser::parse(*InspectFixtures::load("fid-00"), Poco::JSON::Object());
        CPPUNIT_ASSERT(has(spec, "--env=APP_VERSION=1.0"));
        CPPUNIT_ASSERT(has(spec, "--label=app.tier=web"));
        CPPUNIT_ASSERT(has(spec, "--health-cmd=wget -q -O /dev/null http://127.0.0.1:5000/ || exit 1"));
        CPPUNIT_ASSERT(has(spec, "--expose=5001/udp"));
        CPPUNIT_ASSERT(spec.commandSet);
    }

    void testNoRecordedContainerPinsEngineMadeValues()
    {
        std::ifstream list(std::string(WIRETAP_FIXTURES_DIR) + "/inspect/containers.txt");
        int count = 0;
        for (std::string line; std::getline(list, line); ++count)
        {
            const std::string name = line.substr(0, line.find('\t'));
            const auto container = InspectFixtures::load(name);
            const std::string id = wiretap::backend::inspect::string(*container, "Id");
            const auto spec = parse(name);
            auto words = CreateArgsBuilder::createArgs(spec, "img", name);
            for (const auto& endpoint : CreateArgsBuilder::laterNetworks(spec))
                for (const auto& word : CreateArgsBuilder::networkConnectArgs(endpoint, name))
                    words.push_back(word);
            for (const auto& word : words)
            {
                CPPUNIT_ASSERT_MESSAGE(name + ": " + word, word.find(id.substr(0, 12)) == std::string::npos);
                CPPUNIT_ASSERT_MESSAGE(name + ": " + word, word.find("02:42:") == std::string::npos);
                CPPUNIT_ASSERT_MESSAGE(name + ": " + word, word.find("172.17.") == std::string::npos);
            }
        }
        CPPUNIT_ASSERT_EQUAL(51, count);
    }

    void testNetworkModeGivenByIdBecomesTheName()
    {
        const auto image = json(R"({"Config":{}})");
        const auto byId = json(R"({"Id":"0123456789abcdef","HostConfig":{"NetworkMode":"8ba1688ccab2b987"},
            "Config":{},"NetworkSettings":{"Networks":{"a":{"NetworkID":"aaaa"},
            "front":{"NetworkID":"8ba1688ccab2b98720c6bb32e5347e204d52df58d6ccfbaf84efc82c39ece64f"}}}})");
        const auto spec = ContainerSpecParser::parse(*byId, *image);
        CPPUNIT_ASSERT_EQUAL(std::string("front"), spec.networkMode);
        CPPUNIT_ASSERT_EQUAL(std::string("front"), spec.networks.at(0).network);
        // A short network name is a name, never an id prefix.
        const auto byName = json(R"({"Id":"0123456789abcdef","HostConfig":{"NetworkMode":"a"},"Config":{},
            "NetworkSettings":{"Networks":{"a":{"NetworkID":"bbbb"},"b":{"NetworkID":"aaaa"}}}})");
        CPPUNIT_ASSERT_EQUAL(std::string("a"),
                             ContainerSpecParser::parse(*byName, *image).networks.at(0).network);
    }

    void testRejectsWhatIsNotAContainer()
    {
        CPPUNIT_ASSERT_THROW(
            ContainerSpecParser::parse(*InspectFixtures::load("image-v1"), Poco::JSON::Object()),
            BackendError);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ContainerSpecParserTest);
