#include "config/EffectiveConfiguration.h"
#include "TempDir.h"

#include <Poco/AutoPtr.h>
#include <Poco/Util/LayeredConfiguration.h>

#include <cppunit/extensions/HelperMacros.h>

#include <sstream>

using wiretap::backend::TempDir;
using wiretap::config::ConfigLayers;
using wiretap::config::SettingCatalog;

/// What --check-config prints: every known key, its effective value, masked secrets, its source.
class EffectiveConfigurationTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(EffectiveConfigurationTest);
    CPPUNIT_TEST(testPrintsEveryKnownKeyWithValueAndSource);
    CPPUNIT_TEST(testMasksTokensAndUrlCredentials);
    CPPUNIT_TEST(testListsPatternAndLoggingKeysThatWereSet);
    CPPUNIT_TEST(testMarksUnknownKeysAsIgnored);
    CPPUNIT_TEST_SUITE_END();

public:
    void testPrintsEveryKnownKeyWithValueAndSource()
    {
        const auto out = print("http.address = 127.0.0.1\n", {}, {{"http.port", "9000"}});
        CPPUNIT_ASSERT(contains(out, "http.port = 9000  # command line\n"));
        CPPUNIT_ASSERT(contains(out, "http.address = 127.0.0.1  # file " + _file + "\n"));
        CPPUNIT_ASSERT(contains(out, "deploy.strategy = rolling  # default\n"));
        CPPUNIT_ASSERT(out.find("http.port") < out.find("http.address"));
    }

    void testMasksTokensAndUrlCredentials()
    {
        const auto out = print("hooks.github.token = gh-secret\nnotify.url = https://u:pw@h/x?key=abc\n",
                               {{"TOKEN", "env-secret"}}, {});
        CPPUNIT_ASSERT(contains(out, "wiretap.token = ********  # environment TOKEN\n"));
        CPPUNIT_ASSERT(contains(out, "hooks.github.token = ********  # file " + _file + "\n"));
        CPPUNIT_ASSERT(contains(out, "notify.url = https://u:********@h/x?key=********  # file"));
        for (const char* secret : {"env-secret", "gh-secret", "pw", "abc"})
            CPPUNIT_ASSERT_MESSAGE(secret,
                                   out.find(std::string("=") + secret) == std::string::npos &&
                                       out.find(std::string(":") + secret + "@") == std::string::npos &&
                                       out.find(std::string(" ") + secret) == std::string::npos);
    }

    void testListsPatternAndLoggingKeysThatWereSet()
    {
        const auto out = print("logging.loggers.root.level = debug\n", {}, {});
        CPPUNIT_ASSERT(contains(out, "logging.loggers.root.level = debug  # file " + _file + "\n"));
    }

    void testMarksUnknownKeysAsIgnored()
    {
        const auto out = print("http.prot = 1\n", {}, {{"deploy.stratgy", "x"}});
        CPPUNIT_ASSERT(contains(out, "http.prot = 1  # unknown key, ignored; file " + _file + "\n"));
        CPPUNIT_ASSERT(contains(out, "deploy.stratgy = x  # unknown key, ignored; command line\n"));
    }

private:
    static bool contains(const std::string& text, const std::string& part)
    {
        if (text.find(part) != std::string::npos)
            return true;
        std::cerr << "missing: " << part << "\nin:\n" << text;
        return false;
    }

    std::string print(const std::string& fileText, const std::map<std::string, std::string>& env,
                      const std::map<std::string, std::string>& commandLine)
    {
        TempDir dir;
        Poco::AutoPtr<Poco::Util::LayeredConfiguration> config(new Poco::Util::LayeredConfiguration);
        ConfigLayers layers(*config, env);
        _file = dir.write("wiretap.properties", fileText);
        layers.loadFile(_file);
        for (const auto& [key, value] : commandLine)
            layers.setFromCommandLine(key, value);
        const SettingCatalog catalog({{"http.port", "8000"},
                                      {"http.address", "0.0.0.0"},
                                      {"wiretap.token", ""},
                                      {"notify.url", ""},
                                      {"deploy.strategy", "rolling"}},
                                     {"hooks.*.token"}, {"logging."});
        std::ostringstream out;
        wiretap::config::printEffectiveConfiguration(out, *config, layers, catalog);
        return out.str();
    }

    std::string _file;
};

CPPUNIT_TEST_SUITE_REGISTRATION(EffectiveConfigurationTest);
