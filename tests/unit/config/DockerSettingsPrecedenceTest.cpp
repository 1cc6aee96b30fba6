#include "TempDir.h"
#include "config/ConfigLayers.h"
#include "config/DockerSettings.h"

#include <Poco/AutoPtr.h>
#include <Poco/Util/LayeredConfiguration.h>

#include <cppunit/extensions/HelperMacros.h>

using wiretap::backend::TempDir;
using wiretap::config::ConfigLayers;
using wiretap::config::DockerSettings;
using Env = std::map<std::string, std::string>;
using Args = std::vector<std::string>;

/// docker.* against DOCKER_*, through the same layers as the application:
/// file < environment < command line.
class DockerSettingsPrecedenceTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(DockerSettingsPrecedenceTest);
    CPPUNIT_TEST(testEnvironmentHostBeatsFileHost);
    CPPUNIT_TEST(testCommandLineHostBeatsEnvironmentHost);
    CPPUNIT_TEST(testCommandLineConfigBeatsDockerConfig);
    CPPUNIT_TEST(testCommandLineTlsReplacesSeedCertificateFiles);
    CPPUNIT_TEST(testCommandLineTlsReplacesCertificateFolder);
    CPPUNIT_TEST(testFileTlsLosesToEnvironmentFiles);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _dir.reset(new TempDir);
        _dir->write("docker", "#!/bin/sh\n", true);
    }

    void testEnvironmentHostBeatsFileHost()
    {
        auto settings = read("docker.host = unix:///file.sock\n", {{"DOCKER_HOST", "tcp://env:2376"}}, {});
        CPPUNIT_ASSERT_EQUAL(std::string("tcp://env:2376"), settings.host);
        settings = read("docker.host = unix:///file.sock\n", {}, {});
        CPPUNIT_ASSERT_EQUAL(std::string("unix:///file.sock"), settings.host);
    }

    void testCommandLineHostBeatsEnvironmentHost()
    {
        const auto settings = read("docker.host = unix:///file.sock\n", {{"DOCKER_HOST", "tcp://env:2376"}},
                                   {{"docker.host", "unix:///cli.sock"}});
        CPPUNIT_ASSERT_EQUAL(std::string("unix:///cli.sock"), settings.host);
        CPPUNIT_ASSERT(Args({"--host", "unix:///cli.sock"}) == settings.globalArgs);
        // The CLI must not see the replaced variable either.
        CPPUNIT_ASSERT_EQUAL(std::string(""), settings.childEnvironment.at("DOCKER_HOST"));
    }

    void testCommandLineConfigBeatsDockerConfig()
    {
        const auto settings = read("", {{"DOCKER_CONFIG", "/env/docker"}}, {{"docker.config", _dir->path()}});
        CPPUNIT_ASSERT(Args({"--config", _dir->path()}) == settings.globalArgs);
        CPPUNIT_ASSERT_EQUAL(std::string(""), settings.childEnvironment.at("DOCKER_CONFIG"));
    }

    void testCommandLineTlsReplacesSeedCertificateFiles()
    {
        const std::string envCert = _dir->write("env-cert.pem", "c");
        const std::string envKey = _dir->write("env-key.pem", "k");
        const std::string envCa = _dir->write("env-ca.pem", "a");
        const std::string cliCa = _dir->write("cli-ca.pem", "a");
        const auto settings = read(
            "", {{"DOCKER_CERT_PATH", envCert}, {"DOCKER_KEY_PATH", envKey}, {"DOCKER_CA_CERT_PATH", envCa}},
            {{"docker.tlsCaCert", cliCa}});
        // Key by key: the command line's CA, the environment's certificate and key.
        CPPUNIT_ASSERT(Args({"--tlsverify", "--tlscacert", cliCa, "--tlscert", envCert, "--tlskey",
                             envKey}) == settings.globalArgs);
        CPPUNIT_ASSERT_EQUAL(std::string(""), settings.childEnvironment.at("DOCKER_CERT_PATH"));
    }

    void testCommandLineTlsReplacesCertificateFolder()
    {
        for (const char* name : {"ca.pem", "cert.pem", "key.pem"})
            _dir->write(name, "x");
        const auto settings = read("", {{"DOCKER_CERT_PATH", _dir->path()}, {"DOCKER_TLS_VERIFY", "1"}},
                                   {{"docker.tlsVerify", "false"}});
        CPPUNIT_ASSERT(settings.globalArgs.empty());
        CPPUNIT_ASSERT(Env({{"DOCKER_CERT_PATH", ""}, {"DOCKER_TLS_VERIFY", ""}}) ==
                       settings.childEnvironment);
    }

    void testFileTlsLosesToEnvironmentFiles()
    {
        const std::string cert = _dir->write("cert.pem", "c");
        const std::string key = _dir->write("key.pem", "k");
        const std::string ca = _dir->write("ca.pem", "a");
        const auto settings =
            read("docker.tlsVerify = false\ndocker.tlsCaCert = /nonexistent/ca.pem\n",
                 {{"DOCKER_CERT_PATH", cert}, {"DOCKER_KEY_PATH", key}, {"DOCKER_CA_CERT_PATH", ca}}, {});
        CPPUNIT_ASSERT(Args({"--tlsverify", "--tlscacert", ca, "--tlscert", cert, "--tlskey", key}) ==
                       settings.globalArgs);
    }

private:
    DockerSettings read(const std::string& file, Env env, const Env& commandLine)
    {
        env.emplace("PATH", _dir->path());
        Poco::AutoPtr<Poco::Util::LayeredConfiguration> config(new Poco::Util::LayeredConfiguration);
        ConfigLayers layers(*config, env);
        layers.loadFile(_dir->write("wiretap.properties", file));
        for (const auto& [key, value] : commandLine)
            layers.setFromCommandLine(key, value);
        return DockerSettings::fromConfig(*config, env, layers.commandLineKeys());
    }

    std::unique_ptr<TempDir> _dir;
};

CPPUNIT_TEST_SUITE_REGISTRATION(DockerSettingsPrecedenceTest);
