#include "config/ConfigLayers.h"
#include "TempDir.h"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Util/Application.h>
#include <Poco/Util/LayeredConfiguration.h>
#include <Poco/Util/MapConfiguration.h>
#include <Poco/Util/SystemConfiguration.h>

#include <cppunit/extensions/HelperMacros.h>

using wiretap::backend::TempDir;
using wiretap::config::ConfigLayers;
using Env = std::map<std::string, std::string>;

/// Precedence, every pair of layers: defaults < file < environment < command line.
class ConfigLayersTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ConfigLayersTest);
    CPPUNIT_TEST(testDefaultWhenNoLayerSetsTheKey);
    CPPUNIT_TEST(testFileOverridesDefault);
    CPPUNIT_TEST(testEnvironmentOverridesDefault);
    CPPUNIT_TEST(testCommandLineOverridesDefault);
    CPPUNIT_TEST(testEnvironmentOverridesFile);
    CPPUNIT_TEST(testCommandLineOverridesFile);
    CPPUNIT_TEST(testCommandLineOverridesEnvironment);
    CPPUNIT_TEST(testCommandLineOverridesFileAndEnvironment);
    CPPUNIT_TEST(testDockerVariablesAreTheirKeysLayer);
    CPPUNIT_TEST(testIniXmlAndJsonFilesLoad);
    CPPUNIT_TEST(testUnknownFileTypeIsRejected);
    CPPUNIT_TEST(testExplicitKeysListEveryLayersKeys);
    CPPUNIT_TEST(testCommandLineKeys);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        // The layers Poco's Application starts with.
        _config = new Poco::Util::LayeredConfiguration;
        _config->add(new Poco::Util::SystemConfiguration, Poco::Util::Application::PRIO_SYSTEM, false);
        _config->add(new Poco::Util::MapConfiguration, Poco::Util::Application::PRIO_APPLICATION, true);
        _dir.reset(new TempDir);
    }

    void testDefaultWhenNoLayerSetsTheKey()
    {
        ConfigLayers layers(*_config, {});
        CPPUNIT_ASSERT_EQUAL(std::string("fallback"), _config->getString("wiretap.token", "fallback"));
        CPPUNIT_ASSERT_EQUAL(std::string("default"), layers.describeSource("wiretap.token"));
    }

    void testFileOverridesDefault()
    {
        ConfigLayers layers(*_config, {});
        const std::string file = _dir->write("w.properties", "wiretap.token = from-file\n");
        layers.loadFile(file);
        assertEffective(layers, "wiretap.token", "from-file", "file " + file);
        CPPUNIT_ASSERT_EQUAL(_dir->path() + "/", _config->getString("application.configDir"));
    }

    void testEnvironmentOverridesDefault()
    {
        ConfigLayers layers(*_config, {{"TOKEN", "from-env"}});
        assertEffective(layers, "wiretap.token", "from-env", "environment TOKEN");
    }

    void testCommandLineOverridesDefault()
    {
        ConfigLayers layers(*_config, {});
        layers.setFromCommandLine("http.port", "9000");
        assertEffective(layers, "http.port", "9000", "command line");
    }

    void testEnvironmentOverridesFile()
    {
        ConfigLayers layers(*_config, {{"TOKEN", "from-env"}, {"DOCKER_HOST", "tcp://env:2376"}});
        layers.loadFile(
            _dir->write("w.properties", "wiretap.token = from-file\ndocker.host = unix:///file.sock\n"));
        assertEffective(layers, "wiretap.token", "from-env", "environment TOKEN");
        assertEffective(layers, "docker.host", "tcp://env:2376", "environment DOCKER_HOST");
    }

    void testCommandLineOverridesFile()
    {
        ConfigLayers layers(*_config, {});
        layers.loadFile(_dir->write("w.properties", "http.port = 8111\nhttp.address = 127.0.0.1\n"));
        layers.setFromCommandLine("http.port", "8222");
        assertEffective(layers, "http.port", "8222", "command line");
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), _config->getString("http.address"));
    }

    void testCommandLineOverridesEnvironment()
    {
        ConfigLayers layers(*_config, {{"TOKEN", "from-env"}, {"DOCKER_CONFIG", "/env/docker"}});
        layers.setFromCommandLine("wiretap.token", "from-command-line");
        layers.setFromCommandLine("docker.config", "/cli/docker");
        assertEffective(layers, "wiretap.token", "from-command-line", "command line");
        assertEffective(layers, "docker.config", "/cli/docker", "command line");
    }

    void testCommandLineOverridesFileAndEnvironment()
    {
        ConfigLayers layers(*_config, {{"TOKEN", "from-env"}});
        layers.loadFile(_dir->write("w.ini", "[wiretap]\ntoken = from-file\n"));
        layers.setFromCommandLine("wiretap.token", "from-command-line");
        assertEffective(layers, "wiretap.token", "from-command-line", "command line");
    }

    void testDockerVariablesAreTheirKeysLayer()
    {
        const std::string cert = _dir->write("cert.pem", "c");
        ConfigLayers layers(*_config, {{"DOCKER_CERT_PATH", cert},
                                       {"DOCKER_KEY_PATH", "/k.pem"},
                                       {"DOCKER_CA_CERT_PATH", "/ca.pem"},
                                       {"DOCKER_TLS_VERIFY", ""}});
        assertEffective(layers, "docker.tlsCert", cert, "environment DOCKER_CERT_PATH");
        assertEffective(layers, "docker.tlsKey", "/k.pem", "environment DOCKER_KEY_PATH");
        assertEffective(layers, "docker.tlsCaCert", "/ca.pem", "environment DOCKER_CA_CERT_PATH");
        assertEffective(layers, "docker.tlsVerify", "true", "environment DOCKER_CERT_PATH");
    }

    void testIniXmlAndJsonFilesLoad()
    {
        for (const auto& [name, text] :
             std::map<std::string, std::string>{{"w.ini", "[http]\nport = 8001\n"},
                                                {"w.xml", "<config><http><port>8001</port></http></config>"},
                                                {"w.json", "{\"http\": {\"port\": 8001}}"}})
        {
            setUp();
            ConfigLayers layers(*_config, {});
            layers.loadFile(_dir->write(name, text));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, std::string("8001"), _config->getString("http.port"));
        }
    }

    void testUnknownFileTypeIsRejected()
    {
        ConfigLayers layers(*_config, {});
        CPPUNIT_ASSERT_THROW(layers.loadFile(_dir->write("w.yaml", "a: 1\n")),
                             Poco::InvalidArgumentException);
        CPPUNIT_ASSERT_THROW(layers.loadFile(_dir->path() + "/missing.properties"), Poco::Exception);
    }

    void testExplicitKeysListEveryLayersKeys()
    {
        ConfigLayers layers(*_config, {{"TOKEN", "t"}, {"HOME", "/root"}});
        layers.loadFile(_dir->write("w.properties", "http.port = 1\nlogging.loggers.root.level = debug\n"));
        layers.setFromCommandLine("http.prot", "2");
        CPPUNIT_ASSERT((std::vector<std::string>{"http.port", "http.prot", "logging.loggers.root.level",
                                                 "wiretap.token"}) == layers.explicitKeys());
    }

    void testCommandLineKeys()
    {
        ConfigLayers layers(*_config, {{"TOKEN", "t"}});
        layers.setFromCommandLine("docker.host", "unix:///x.sock");
        layers.setFromCommandLine("deploy.dryRun", "true");
        CPPUNIT_ASSERT((std::set<std::string>{"deploy.dryRun", "docker.host"}) == layers.commandLineKeys());
    }

private:
    void assertEffective(const ConfigLayers& layers, const std::string& key, const std::string& value,
                         const std::string& source)
    {
        CPPUNIT_ASSERT_EQUAL_MESSAGE(key, value, _config->getString(key));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(key, source, layers.describeSource(key));
    }

    Poco::AutoPtr<Poco::Util::LayeredConfiguration> _config;
    std::unique_ptr<TempDir> _dir;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConfigLayersTest);
