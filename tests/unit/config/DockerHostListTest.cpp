#include "config/DockerHostList.h"
#include "../backend/TempDir.h"
#include "config/ConfigError.h"

#include <Poco/AutoPtr.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <cppunit/extensions/HelperMacros.h>

#include <sstream>

using wiretap::backend::TempDir;
using wiretap::config::ConfigError;
using wiretap::config::DockerHostList;
using Env = std::map<std::string, std::string>;
using Args = std::vector<std::string>;

/// docker.hosts: the list, each host's url and TLS files, what the seed's environment does
/// to it, and an error naming the key for each mistake.
class DockerHostListTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(DockerHostListTest);
    CPPUNIT_TEST(testUnsetIsOneDefaultHostAsBefore);
    CPPUNIT_TEST(testListedHostsComeInOrderWithTheirUrls);
    CPPUNIT_TEST(testSeedEnvironmentDoesNotReachListedHosts);
    CPPUNIT_TEST(testEachTcpHostHasItsOwnTlsFiles);
    CPPUNIT_TEST(testMistakesNameTheirKey);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _dir.reset(new TempDir);
        _dir->write("docker", "#!/bin/sh\n", true);
    }

    void testUnsetIsOneDefaultHostAsBefore()
    {
        const auto list = read("docker.hostParallelism = 2\n", {{"DOCKER_HOST", "tcp://env:2376"}});
        CPPUNIT_ASSERT(!list.named);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), list.hosts.size());
        CPPUNIT_ASSERT_EQUAL(std::string("default"), list.hosts[0].name);
        CPPUNIT_ASSERT_EQUAL(std::string("tcp://env:2376"), list.hosts[0].docker.host);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), list.parallelism);
        CPPUNIT_ASSERT(list.ignoredVariables.empty());
    }

    void testListedHostsComeInOrderWithTheirUrls()
    {
        const auto list = read("docker.hosts = web2, web1 ,web-3\n"
                               "docker.hosts.web1.url = unix:///run/one.sock\n"
                               "docker.hosts.web2.url = tcp://10.0.0.2:2375\n"
                               "docker.hosts.web-3.url = ssh://deploy@10.0.0.3\n");
        CPPUNIT_ASSERT(list.named);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), list.hosts.size());
        CPPUNIT_ASSERT_EQUAL(std::string("web2"), list.hosts[0].name);
        CPPUNIT_ASSERT(Args({"--host", "tcp://10.0.0.2:2375"}) == list.hosts[0].docker.globalArgs);
        CPPUNIT_ASSERT_EQUAL(std::string("web1"), list.hosts[1].name);
        CPPUNIT_ASSERT(Args({"--host", "unix:///run/one.sock"}) == list.hosts[1].docker.globalArgs);
        CPPUNIT_ASSERT_EQUAL(std::string("ssh://deploy@10.0.0.3"), list.hosts[2].docker.host);
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), list.parallelism);
        for (const auto& host : list.hosts)
            CPPUNIT_ASSERT_EQUAL(_dir->path() + "/docker", host.docker.binary);
    }

    void testSeedEnvironmentDoesNotReachListedHosts()
    {
        const std::string cert = _dir->write("cert.pem", "c");
        const auto list = read("docker.hosts = web1\ndocker.hosts.web1.url = tcp://10.0.0.1:2375\n",
                               {{"DOCKER_HOST", "tcp://seed:2376"},
                                {"DOCKER_TLS_VERIFY", "1"},
                                {"DOCKER_CERT_PATH", cert},
                                {"DOCKER_KEY_PATH", cert},
                                {"DOCKER_CA_CERT_PATH", cert}});
        const auto& docker = list.hosts[0].docker;
        CPPUNIT_ASSERT(Args({"--host", "tcp://10.0.0.1:2375"}) == docker.globalArgs);
        for (const char* variable : {"DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH"})
            CPPUNIT_ASSERT_EQUAL(std::string(""), docker.childEnvironment.at(variable));
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), list.ignoredVariables.size());
    }

    void testEachTcpHostHasItsOwnTlsFiles()
    {
        const std::string ca = _dir->write("ca.pem", "a");
        const std::string cert = _dir->write("cert.pem", "c");
        const std::string key = _dir->write("key.pem", "k");
        const auto list = read("docker.hosts = web1, web2\n"
                               "docker.hosts.web1.url = tcp://10.0.0.1:2376\n"
                               "docker.hosts.web1.tlsVerify = true\n"
                               "docker.hosts.web1.tlsCaCert = " +
                               ca +
                               "\n"
                               "docker.hosts.web1.tlsCert = " +
                               cert +
                               "\n"
                               "docker.hosts.web1.tlsKey = " +
                               key +
                               "\n"
                               "docker.hosts.web2.url = tcp://10.0.0.2:2375\n");
        CPPUNIT_ASSERT(Args({"--host", "tcp://10.0.0.1:2376", "--tlsverify", "--tlscacert", ca, "--tlscert",
                             cert, "--tlskey", key}) == list.hosts[0].docker.globalArgs);
        CPPUNIT_ASSERT(Args({"--host", "tcp://10.0.0.2:2375"}) == list.hosts[1].docker.globalArgs);
    }

    void testMistakesNameTheirKey()
    {
        const std::string one = "docker.hosts = web1\n";
        const std::string url = "docker.hosts.web1.url = tcp://10.0.0.1:2376\n";
        CPPUNIT_ASSERT_EQUAL(std::string("docker.hosts.web1.url"), keyOfError(one));
        CPPUNIT_ASSERT_EQUAL(std::string("docker.hosts.web1.url"),
                             keyOfError(one + "docker.hosts.web1.url = http://10.0.0.1\n"));
        CPPUNIT_ASSERT_EQUAL(std::string("docker.hosts.web1.url"),
                             keyOfError(one + "docker.hosts.web1.url = fd://\n"));
        CPPUNIT_ASSERT_EQUAL(std::string("docker.hosts"), keyOfError("docker.hosts = web.1\n"));
        CPPUNIT_ASSERT_EQUAL(std::string("docker.hosts"), keyOfError("docker.hosts = web1, , web2\n"));
        CPPUNIT_ASSERT_EQUAL(std::string("docker.hosts"), keyOfError("docker.hosts = web1, web1\n" + url));
        CPPUNIT_ASSERT_EQUAL(std::string("docker.hosts.web2.url"),
                             keyOfError(one + url + "docker.hosts.web2.url = tcp://10.0.0.2:2376\n"));
        CPPUNIT_ASSERT_EQUAL(std::string("docker.hosts.web1.tlsCaCert"),
                             keyOfError(one + url + "docker.hosts.web1.tlsVerify = true\n"));
        CPPUNIT_ASSERT_EQUAL(std::string("docker.hosts.web1.tlsCert"),
                             keyOfError(one + url + "docker.hosts.web1.tlsCert = /missing/cert.pem\n" +
                                        "docker.hosts.web1.tlsKey = /missing/key.pem\n"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("docker.hosts.web1.url"),
            keyOfError(one + "docker.hosts.web1.url = ssh://deploy@h\n" +
                       "docker.hosts.web1.tlsVerify = false\ndocker.hosts.web1.tlsCaCert = " +
                       _dir->write("ca.pem", "a") + "\n"));
        CPPUNIT_ASSERT_EQUAL(std::string("docker.host"),
                             keyOfError(one + url + "docker.host = unix:///x.sock\n"));
        CPPUNIT_ASSERT_EQUAL(std::string("docker.hostParallelism"),
                             keyOfError(one + url + "docker.hostParallelism = 0\n"));
    }

private:
    DockerHostList read(const std::string& properties, Env env = {})
    {
        std::istringstream in(properties);
        Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> config(
            new Poco::Util::PropertyFileConfiguration(in));
        env["PATH"] = _dir->path();
        return DockerHostList::fromConfig(*config, env);
    }

    std::string keyOfError(const std::string& properties)
    {
        try
        {
            read(properties);
        }
        catch (const ConfigError& exc)
        {
            return exc.key();
        }
        return "(no error)";
    }

    std::unique_ptr<TempDir> _dir;
};

CPPUNIT_TEST_SUITE_REGISTRATION(DockerHostListTest);
