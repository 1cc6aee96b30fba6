#include "config/DockerSettings.h"
#include "TempDir.h"
#include "config/ConfigError.h"

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>

#include <cppunit/extensions/HelperMacros.h>

using wiretap::backend::TempDir;
using wiretap::config::ConfigError;
using wiretap::config::DockerSettings;
using Env = std::map<std::string, std::string>;
using Args = std::vector<std::string>;

class DockerSettingsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(DockerSettingsTest);
    CPPUNIT_TEST(testDefaultsFindDockerInPathWithNoFlags);
    CPPUNIT_TEST(testMissingBinaryNamesTheKeyAndPath);
    CPPUNIT_TEST(testDockerHostFromEnvironmentOverridesConfig);
    CPPUNIT_TEST(testRejectsHostWithoutScheme);
    CPPUNIT_TEST(testSeedCertificateFilesBecomeTlsFlags);
    CPPUNIT_TEST(testSeedCertificateFileWithoutKeyIsRejected);
    CPPUNIT_TEST(testCertificateFolderIsLeftToTheCli);
    CPPUNIT_TEST(testCertificateFolderWithTlsVerifyNeedsItsFiles);
    CPPUNIT_TEST(testTlsFromConfig);
    CPPUNIT_TEST(testUnreadableTlsFileIsRejected);
    CPPUNIT_TEST(testDockerConfigSelectsCredentials);
    CPPUNIT_TEST(testTimeouts);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _config = new Poco::Util::MapConfiguration;
        _dir.reset(new TempDir);
        _docker = _dir->write("docker", "#!/bin/sh\n", true);
    }

    void testDefaultsFindDockerInPathWithNoFlags()
    {
        const auto settings = DockerSettings::fromConfig(*_config, env());
        CPPUNIT_ASSERT_EQUAL(_docker, settings.binary);
        CPPUNIT_ASSERT(settings.globalArgs.empty());
        CPPUNIT_ASSERT(settings.childEnvironment.empty());
        CPPUNIT_ASSERT_EQUAL(60, settings.timeout.totalSeconds());
    }

    void testMissingBinaryNamesTheKeyAndPath()
    {
        assertRejected(Env{{"PATH", "/nonexistent"}}, "docker.binary",
                       "'docker' was not found in PATH (/nonexistent)");
        _config->setString("docker.binary", "/nonexistent/docker");
        assertRejected(env(), "docker.binary", "'/nonexistent/docker' is not an executable file");
    }

    void testDockerHostFromEnvironmentOverridesConfig()
    {
        _config->setString("docker.host", "unix:///run/other.sock");
        CPPUNIT_ASSERT(Args({"--host", "unix:///run/other.sock"}) ==
                       DockerSettings::fromConfig(*_config, env()).globalArgs);
        const auto settings =
            DockerSettings::fromConfig(*_config, env({{"DOCKER_HOST", "tcp://10.0.0.1:2376"}}));
        CPPUNIT_ASSERT(Args({"--host", "tcp://10.0.0.1:2376"}) == settings.globalArgs);
        CPPUNIT_ASSERT_EQUAL(std::string("tcp://10.0.0.1:2376"), settings.host);
    }

    void testRejectsHostWithoutScheme()
    {
        assertRejected(env({{"DOCKER_HOST", "10.0.0.1:2376"}}), "DOCKER_HOST",
                       "'10.0.0.1:2376' is not a docker host (unix://, tcp://, ssh://, fd://)");
    }

    void testSeedCertificateFilesBecomeTlsFlags()
    {
        const std::string cert = _dir->write("cert.pem", "c");
        const std::string key = _dir->write("key.pem", "k");
        const std::string ca = _dir->write("ca.pem", "a");
        const auto settings = DockerSettings::fromConfig(*_config, env({{"DOCKER_HOST", "tcp://h:2376"},
                                                                        {"DOCKER_CERT_PATH", cert},
                                                                        {"DOCKER_KEY_PATH", key},
                                                                        {"DOCKER_CA_CERT_PATH", ca}}));
        CPPUNIT_ASSERT(Args({"--host", "tcp://h:2376", "--tlsverify", "--tlscacert", ca, "--tlscert", cert,
                             "--tlskey", key}) == settings.globalArgs);
        // The CLI would read DOCKER_CERT_PATH as a folder: the child sees it empty (= unset).
        CPPUNIT_ASSERT(Env({{"DOCKER_CERT_PATH", ""}}) == settings.childEnvironment);
    }

    void testSeedCertificateFileWithoutKeyIsRejected()
    {
        const std::string cert = _dir->write("cert.pem", "c");
        assertRejected(env({{"DOCKER_CERT_PATH", cert}}), "DOCKER_KEY_PATH",
                       "must name the client key file when DOCKER_CERT_PATH is a file");
        assertRejected(env({{"DOCKER_CERT_PATH", cert}, {"DOCKER_KEY_PATH", cert}}), "DOCKER_CA_CERT_PATH",
                       "must name the CA certificate file when DOCKER_CERT_PATH is a file");
        assertRejected(env({{"DOCKER_CERT_PATH", cert},
                            {"DOCKER_KEY_PATH", "/nonexistent"},
                            {"DOCKER_CA_CERT_PATH", cert}}),
                       "DOCKER_KEY_PATH", "'/nonexistent' is not a file");
    }

    void testCertificateFolderIsLeftToTheCli()
    {
        const auto settings = DockerSettings::fromConfig(*_config, env({{"DOCKER_CERT_PATH", _dir->path()}}));
        CPPUNIT_ASSERT(settings.globalArgs.empty());
        CPPUNIT_ASSERT(settings.childEnvironment.empty());
        assertRejected(env({{"DOCKER_CERT_PATH", "/nonexistent/certs"}}), "DOCKER_CERT_PATH",
                       "'/nonexistent/certs' is neither a file nor a folder");
    }

    void testCertificateFolderWithTlsVerifyNeedsItsFiles()
    {
        assertRejected(env({{"DOCKER_CERT_PATH", _dir->path()}, {"DOCKER_TLS_VERIFY", "1"}}),
                       "DOCKER_CERT_PATH", "'" + _dir->path() + "/ca.pem' is not a file");
        for (const char* name : {"ca.pem", "cert.pem", "key.pem"})
            _dir->write(name, "x");
        const auto settings = DockerSettings::fromConfig(
            *_config, env({{"DOCKER_CERT_PATH", _dir->path()}, {"DOCKER_TLS_VERIFY", "1"}}));
        CPPUNIT_ASSERT(settings.globalArgs.empty());
    }

    void testTlsFromConfig()
    {
        const std::string ca = _dir->write("ca.pem", "a");
        _config->setString("docker.tlsVerify", "true");
        assertRejected(env(), "docker.tlsCaCert", "is required when docker.tlsVerify is true");
        _config->setString("docker.tlsCaCert", ca);
        CPPUNIT_ASSERT(Args({"--tlsverify", "--tlscacert", ca}) ==
                       DockerSettings::fromConfig(*_config, env()).globalArgs);
        _config->setString("docker.tlsCert", ca);
        assertRejected(env(), "docker.tlsKey", "docker.tlsCert and docker.tlsKey go together");
    }

    void testUnreadableTlsFileIsRejected()
    {
        _config->setString("docker.tlsCaCert", _dir->path());
        assertRejected(env(), "docker.tlsCaCert", "'" + _dir->path() + "' is not a file");
    }

    void testDockerConfigSelectsCredentials()
    {
        _config->setString("docker.config", "/etc/wiretap/docker");
        CPPUNIT_ASSERT(Args({"--config", "/etc/wiretap/docker"}) ==
                       DockerSettings::fromConfig(*_config, env()).globalArgs);
        CPPUNIT_ASSERT(
            Args({"--config", _dir->path()}) ==
            DockerSettings::fromConfig(*_config, env({{"DOCKER_CONFIG", _dir->path()}})).globalArgs);
        assertRejected(env({{"DOCKER_CONFIG", _docker}}), "DOCKER_CONFIG",
                       "'" + _docker + "' is not a folder");
    }

    void testTimeouts()
    {
        _config->setString("docker.timeout", "2.5");
        _config->setString("docker.pullTimeout", "900");
        const auto settings = DockerSettings::fromConfig(*_config, env());
        CPPUNIT_ASSERT_EQUAL(Poco::Timespan::TimeDiff(2500), settings.timeout.totalMilliseconds());
        CPPUNIT_ASSERT_EQUAL(900, settings.pullTimeout.totalSeconds());
        _config->setString("docker.timeout", "0");
        assertRejected(env(), "docker.timeout", "'0' must not be less than 0.001");
    }

private:
    Env env(Env extra = {}) const
    {
        extra.emplace("PATH", "/nonexistent:" + _dir->path());
        return extra;
    }

    void assertRejected(const Env& environment, const std::string& key, const std::string& problem)
    {
        try
        {
            DockerSettings::fromConfig(*_config, environment);
            CPPUNIT_FAIL("no ConfigError for " + key);
        }
        catch (const ConfigError& e)
        {
            CPPUNIT_ASSERT_EQUAL(key, e.key());
            CPPUNIT_ASSERT_EQUAL("invalid configuration: " + key + ": " + problem, std::string(e.what()));
        }
    }

    Poco::AutoPtr<Poco::Util::MapConfiguration> _config;
    std::unique_ptr<TempDir> _dir;
    std::string _docker;
};

CPPUNIT_TEST_SUITE_REGISTRATION(DockerSettingsTest);
