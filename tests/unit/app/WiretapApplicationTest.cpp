#include "app/WiretapApplication.h"

#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>
#include <Poco/Util/OptionException.h>

#include <cppunit/extensions/HelperMacros.h>

#include <fstream>

using wiretap::app::WiretapApplication;

/// Command-line parsing: options bind to the configuration keys the server reads.
class WiretapApplicationTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(WiretapApplicationTest);
    CPPUNIT_TEST(testPortOptionBindsHttpPort);
    CPPUNIT_TEST(testConfigOptionRemembersTheFile);
    CPPUNIT_TEST(testSetAndDefineOverrideKeys);
    CPPUNIT_TEST(testSetWithoutEqualsIsRejected);
    CPPUNIT_TEST(testUnknownOptionIsRejected);
    CPPUNIT_TEST(testVersionRequestsExit);
    CPPUNIT_TEST(testCommandLineOverridesConfigFile);
    CPPUNIT_TEST(testDryRunSetsTheDeployKey);
    CPPUNIT_TEST_SUITE_END();

public:
    void testPortOptionBindsHttpPort()
    {
        WiretapApplication app;
        app.init(args({"--port=9123"}));
        CPPUNIT_ASSERT_EQUAL(std::string("9123"), app.config().getString("http.port"));
        CPPUNIT_ASSERT(!app.exitRequested());
    }

    void testConfigOptionRemembersTheFile()
    {
        WiretapApplication app;
        app.init(args({"--config=/etc/wiretap/wiretap.properties"}));
        CPPUNIT_ASSERT_EQUAL(std::string("/etc/wiretap/wiretap.properties"), app.configPath());
    }

    void testSetAndDefineOverrideKeys()
    {
        WiretapApplication app;
        app.init(args({"--set=http.address=127.0.0.1", "--define=deploy.strategy=a=b"}));
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), app.config().getString("http.address"));
        CPPUNIT_ASSERT_EQUAL(std::string("a=b"), app.config().getString("deploy.strategy"));
    }

    void testSetWithoutEqualsIsRejected()
    {
        WiretapApplication app;
        CPPUNIT_ASSERT_THROW(app.init(args({"--set=http.port"})), Poco::Util::InvalidArgumentException);
    }

    void testUnknownOptionIsRejected()
    {
        WiretapApplication app;
        CPPUNIT_ASSERT_THROW(app.init(args({"--no-such-option"})), Poco::Util::UnknownOptionException);
    }

    void testVersionRequestsExit()
    {
        WiretapApplication app;
        app.init(args({"--version"}));
        CPPUNIT_ASSERT(app.exitRequested());
    }

    void testCommandLineOverridesConfigFile()
    {
        Poco::TemporaryFile file(Poco::Path::temp());
        const std::string path = file.path() + ".properties";
        Poco::TemporaryFile::registerForDeletion(path);
        std::ofstream(path) << "http.port = 8111\nhttp.address = 127.0.0.1\n";

        WiretapApplication app;
        app.init(args({"--config=" + path, "--port=8222"}));
        app.loadConfiguration(path);
        CPPUNIT_ASSERT_EQUAL(std::string("8222"), app.config().getString("http.port"));
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), app.config().getString("http.address"));
    }

    void testDryRunSetsTheDeployKey()
    {
        WiretapApplication app;
        app.init(args({"--dry-run"}));
        CPPUNIT_ASSERT(app.config().getBool("deploy.dryRun"));
    }

private:
    static std::vector<std::string> args(std::initializer_list<std::string> options)
    {
        std::vector<std::string> argv{"wiretap"};
        argv.insert(argv.end(), options);
        return argv;
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WiretapApplicationTest);
