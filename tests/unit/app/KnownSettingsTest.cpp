#include "app/KnownSettings.h"
#include "TempDir.h"
#include "app/StartupSettings.h"

#include <Poco/AutoPtr.h>
#include <Poco/Path.h>
#include <Poco/RecursiveDirectoryIterator.h>
#include <Poco/Util/MapConfiguration.h>

#include <cppunit/extensions/HelperMacros.h>

#include <fstream>
#include <regex>
#include <sstream>

using wiretap::app::knownSettings;
using wiretap::app::StartupSettings;
using wiretap::backend::TempDir;

namespace
{
std::string readFile(const std::string& path)
{
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// Every field of the settings, as text, to compare two readings.
std::string describe(const StartupSettings& s)
{
    std::ostringstream out;
    out << s.server.address << ' ' << s.server.port << ' ' << s.server.maxThreads << ' ' << s.server.maxQueued
        << ' ' << s.server.requestTimeout.totalMicroseconds() << ' '
        << s.server.headerTimeout.totalMicroseconds() << ' ' << s.server.keepAliveTimeout.totalMicroseconds()
        << ' ' << s.server.maxKeepAliveRequests << ' ' << s.server.shutdownTimeout.totalMicroseconds() << '|'
        << s.intake.token << ' ' << s.intake.allowUnauthenticated << ' ' << s.intake.maxBodyBytes << ' '
        << s.intake.bodyTimeout.totalMicroseconds() << ' ' << s.intake.rememberedDeliveries << '|'
        << s.deploy.labelEnable << ' ' << s.deploy.includeStopped << ' ' << s.deploy.stopTimeoutSeconds << ' '
        << s.deploy.minUptime.totalMicroseconds() << ' ' << s.deploy.healthTimeout.totalMicroseconds() << ' '
        << static_cast<int>(s.deploy.strategy) << ' ' << s.deploy.parallelism << ' ' << s.deploy.stopOnFailure
        << ' ' << s.deploy.cleanup << ' ' << s.deploy.maxConcurrent << ' ' << s.deploy.maxWaiting << ' '
        << s.deploy.dryRun << '|' << s.notify.url << ' ' << s.notify.publicUrl << ' '
        << s.notify.timeout.totalMicroseconds() << '|' << s.docker.parallelism << ' ' << s.docker.named;
    for (const auto& host : s.docker.hosts)
        out << ' ' << host.name << ' ' << host.docker.binary << ' ' << host.docker.host << ' '
            << host.docker.globalArgs.size() << ' ' << host.docker.timeout.totalMicroseconds() << ' '
            << host.docker.pullTimeout.totalMicroseconds();
    out << '|' << s.stateDir;
    return out.str();
}
} // namespace

/// The catalog behind --check-config and the unknown-key warnings agrees with the code
/// and with the shipped etc/wiretap.properties.
class KnownSettingsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(KnownSettingsTest);
    CPPUNIT_TEST(testShippedFileListsEveryKnownKeyWithItsDefault);
    CPPUNIT_TEST(testEveryKeyTheCodeReadsIsKnown);
    CPPUNIT_TEST(testCatalogDefaultsAreTheDefaultsTheCodeUses);
    CPPUNIT_TEST(testStateDirDefaultsToSystemdsStateDirectory);
    CPPUNIT_TEST_SUITE_END();

public:
    void testShippedFileListsEveryKnownKeyWithItsDefault()
    {
        const std::string text = readFile(std::string(WIRETAP_SOURCE_DIR) + "/etc/wiretap.properties");
        const std::regex line(R"(^#([a-z]+\.[A-Za-z.]+) =[ ]?(.*)$)");
        std::map<std::string, std::string> shipped;
        std::istringstream lines(text);
        for (std::string l; std::getline(lines, l);)
        {
            std::smatch match;
            if (std::regex_match(l, match, line) && match[1].str().rfind("logging.", 0) != 0)
                shipped[match[1]] = match[2];
        }
        const auto catalog = knownSettings({});
        for (const auto& setting : catalog.settings())
        {
            CPPUNIT_ASSERT_MESSAGE(setting.key + " is not in etc/wiretap.properties",
                                   shipped.count(setting.key));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(setting.key, setting.defaultValue, shipped[setting.key]);
        }
        for (const auto& [key, value] : shipped)
            CPPUNIT_ASSERT_MESSAGE(key + " in etc/wiretap.properties is not a known key", catalog.knows(key));
    }

    void testEveryKeyTheCodeReadsIsKnown()
    {
        const std::regex read(
            R"re((?:read(?:Int|Seconds|Bool)\(\s*config\s*,\s*|get(?:String|RawString|Bool|Int|Double)\(\s*|hasProperty\(\s*)"([a-z]+\.[A-Za-z.]+)")re");
        const auto catalog = knownSettings({});
        std::size_t found = 0;
        Poco::RecursiveDirectoryIterator end;
        for (Poco::RecursiveDirectoryIterator it(std::string(WIRETAP_SOURCE_DIR) + "/src"); it != end; ++it)
        {
            if (it->isDirectory() || it.path().getExtension() != "cpp")
                continue;
            const std::string source = readFile(it.path().toString());
            for (std::sregex_iterator match(source.begin(), source.end(), read), last; match != last; ++match)
            {
                const std::string key = (*match)[1];
                CPPUNIT_ASSERT_MESSAGE(it.path().getFileName() + " reads " + key +
                                           ", which KnownSettings lacks",
                                       catalog.knows(key) || key.back() == '.');
                ++found;
            }
        }
        CPPUNIT_ASSERT(found > 30);
    }

    void testCatalogDefaultsAreTheDefaultsTheCodeUses()
    {
        TempDir dir;
        dir.write("docker", "#!/bin/sh\n", true);
        const std::map<std::string, std::string> env{{"PATH", dir.path()}};
        Poco::AutoPtr<Poco::Util::MapConfiguration> defaults(new Poco::Util::MapConfiguration);
        Poco::AutoPtr<Poco::Util::MapConfiguration> explicitDefaults(new Poco::Util::MapConfiguration);
        const auto catalog = knownSettings(env);
        for (const auto& setting : catalog.settings())
            explicitDefaults->setString(setting.key, setting.defaultValue);
        for (auto* config : {defaults.get(), explicitDefaults.get()})
            config->setString("wiretap.token", "t");
        CPPUNIT_ASSERT_EQUAL(describe(StartupSettings::read(*defaults, env, {})),
                             describe(StartupSettings::read(*explicitDefaults, env, {})));
    }

    void testStateDirDefaultsToSystemdsStateDirectory()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("/var/lib/wiretap"), wiretap::app::defaultStateDir({}));
        CPPUNIT_ASSERT_EQUAL(
            std::string("/var/lib/wiretap-a"),
            wiretap::app::defaultStateDir({{"STATE_DIRECTORY", "/var/lib/wiretap-a:/var/lib/b"}}));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(KnownSettingsTest);
