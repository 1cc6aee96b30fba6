#include "log/LogSetup.h"
#include "PocoLoggingConfig.h"
#include "TempDir.h"
#include "config/ConfigError.h"
#include "log/LogFields.h"

#include <Poco/AutoPtr.h>
#include <Poco/FileChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/LoggingRegistry.h>
#include <Poco/SyslogChannel.h>
#include <Poco/Util/MapConfiguration.h>

#include <cppunit/extensions/HelperMacros.h>

#include <fstream>
#include <sstream>

using wiretap::backend::TempDir;
using wiretap::config::ConfigError;
using wiretap::log::configurePocoLogging;
namespace log = wiretap::log;

/// Logging through Poco's logging.* keys, with wiretap's formatters by class name.
class LogSetupTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(LogSetupTest);
    CPPUNIT_TEST(testLoggingKeysAreDetected);
    CPPUNIT_TEST(testRotatingFileChannelWithLogrusFormatterByClassName);
    CPPUNIT_TEST(testJsonFormatterByClassNameInline);
    CPPUNIT_TEST(testSyslogChannelWithLogrusFormatter);
    CPPUNIT_TEST(testDocumentedExamplesConfigure);
    CPPUNIT_TEST(testLogLevelOverridesLoggingLevelsOnlyWhenSet);
    CPPUNIT_TEST(testBadFormatAndLevelAreConfigErrors);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        log::registerLoggingClasses();
        _dir.reset(new TempDir);
    }

    void tearDown() override { log::logToConsole("text"); }

    void testLoggingKeysAreDetected()
    {
        Poco::AutoPtr<Poco::Util::MapConfiguration> config(new Poco::Util::MapConfiguration);
        CPPUNIT_ASSERT(!log::hasPocoLogging(*config));
        config->setString("logging.loggers.root.level", "debug");
        CPPUNIT_ASSERT(log::hasPocoLogging(*config));
        CPPUNIT_ASSERT(!log::pocoLoggingUsesConsole(*config));
        config->setString("logging.channels.c.class", "ColorConsoleChannel");
        CPPUNIT_ASSERT(log::pocoLoggingUsesConsole(*config));
    }

    void testRotatingFileChannelWithLogrusFormatterByClassName()
    {
        const std::string path = _dir->path() + "/wiretap.log";
        configurePocoLogging("logging.formatters.lsf1.class = LogrusFormatter\n"
                             "logging.channels.lsc1.class = FileChannel\n"
                             "logging.channels.lsc1.path = " +
                             path +
                             "\n"
                             "logging.channels.lsc1.rotation = 10 M\n"
                             "logging.channels.lsc1.archive = timestamp\n"
                             "logging.channels.lsc1.purgeCount = 5\n"
                             "logging.channels.lsc1.formatter = lsf1\n"
                             "logging.loggers.l1.name = wiretap.lstest1\n"
                             "logging.loggers.l1.channel = lsc1\n"
                             "logging.loggers.l1.level = information\n");
        auto channel = Poco::LoggingRegistry::defaultRegistry().channelForName("lsc1");
        auto* formatting = dynamic_cast<Poco::FormattingChannel*>(channel.get());
        CPPUNIT_ASSERT(formatting != nullptr);
        CPPUNIT_ASSERT(dynamic_cast<Poco::FileChannel*>(formatting->getChannel().get()) != nullptr);
        CPPUNIT_ASSERT_EQUAL(std::string("10 M"), formatting->getChannel()->getProperty("rotation"));
        log::info(Poco::Logger::get("wiretap.lstest1"), "Pulling newer image", {{"Image", "demo/app"}});
        formatting->getChannel()->close();
        const std::string text = _dir->read("wiretap.log");
        CPPUNIT_ASSERT_MESSAGE(text,
                               text.find("level=info msg=\"Pulling newer image\" Image=\"demo/app\"\n") !=
                                   std::string::npos);
        CPPUNIT_ASSERT(text.rfind("time=\"", 0) == 0);
    }

    void testJsonFormatterByClassNameInline()
    {
        const std::string path = _dir->path() + "/wiretap.json";
        configurePocoLogging("logging.channels.lsc2.class = FileChannel\n"
                             "logging.channels.lsc2.path = " +
                             path +
                             "\n"
                             "logging.channels.lsc2.formatter.class = JsonLogFormatter\n"
                             "logging.loggers.l2.name = wiretap.lstest2\n"
                             "logging.loggers.l2.channel = lsc2\n");
        log::warning(Poco::Logger::get("wiretap.lstest2"), "Deploy finished", {{"Result", "rolled_back"}});
        Poco::LoggingRegistry::defaultRegistry().channelForName("lsc2")->close();
        const std::string text = _dir->read("wiretap.json");
        CPPUNIT_ASSERT_MESSAGE(text, text.find("\"level\":\"warning\",\"msg\":\"Deploy finished\"") !=
                                         std::string::npos);
        CPPUNIT_ASSERT(text.find("\"Result\":\"rolled_back\"}\n") != std::string::npos);
    }

    void testSyslogChannelWithLogrusFormatter()
    {
        configurePocoLogging("logging.formatters.lsf3.class = LogrusFormatter\n"
                             "logging.channels.lsc3.class = SyslogChannel\n"
                             "logging.channels.lsc3.name = wiretap\n"
                             "logging.channels.lsc3.facility = LOG_DAEMON\n"
                             "logging.channels.lsc3.formatter = lsf3\n");
        auto channel = Poco::LoggingRegistry::defaultRegistry().channelForName("lsc3");
        auto* formatting = dynamic_cast<Poco::FormattingChannel*>(channel.get());
        CPPUNIT_ASSERT(formatting != nullptr);
        CPPUNIT_ASSERT(dynamic_cast<Poco::SyslogChannel*>(formatting->getChannel().get()) != nullptr);
        CPPUNIT_ASSERT_EQUAL(std::string("wiretap"), formatting->getChannel()->getProperty("name"));
    }

    void testDocumentedExamplesConfigure()
    {
        // Every commented logging.* line of etc/wiretap.properties, uncommented, is a valid configuration.
        std::ifstream shipped(std::string(WIRETAP_SOURCE_DIR) + "/etc/wiretap.properties");
        std::ostringstream examples;
        std::size_t count = 0;
        for (std::string line; std::getline(shipped, line);)
            if (line.rfind("#logging.", 0) == 0 && line.find(".loggers.") == std::string::npos)
            {
                examples << line.substr(1) << '\n';
                ++count;
            }
        CPPUNIT_ASSERT(count >= 15);
        configurePocoLogging(examples.str());
        for (const char* name : {"file", "syslog", "remote"})
            CPPUNIT_ASSERT_NO_THROW(Poco::LoggingRegistry::defaultRegistry().channelForName(name));
    }

    void testLogLevelOverridesLoggingLevelsOnlyWhenSet()
    {
        Poco::AutoPtr<Poco::Util::MapConfiguration> config(new Poco::Util::MapConfiguration);
        config->setString("logging.loggers.root.level", "debug");
        Poco::Logger::root().setLevel(Poco::Message::PRIO_DEBUG);
        log::configureDefaultLogging(*config);
        CPPUNIT_ASSERT_EQUAL(int(Poco::Message::PRIO_DEBUG), Poco::Logger::root().getLevel());
        config->setString("log.level", "warning");
        log::configureDefaultLogging(*config);
        CPPUNIT_ASSERT_EQUAL(int(Poco::Message::PRIO_WARNING), Poco::Logger::root().getLevel());
        CPPUNIT_ASSERT_EQUAL(int(Poco::Message::PRIO_WARNING),
                             Poco::Logger::get("wiretap.lstest9").getLevel());
        Poco::Logger::setLevel("", Poco::Message::PRIO_INFORMATION);
    }

    void testBadFormatAndLevelAreConfigErrors()
    {
        Poco::AutoPtr<Poco::Util::MapConfiguration> config(new Poco::Util::MapConfiguration);
        config->setString("log.format", "yaml");
        CPPUNIT_ASSERT_THROW(log::configureDefaultLogging(*config), ConfigError);
        config->setString("log.format", "JSON");
        config->setString("log.level", "loud");
        CPPUNIT_ASSERT_THROW(log::configureDefaultLogging(*config), ConfigError);
        CPPUNIT_ASSERT_EQUAL(std::string("json"), log::consoleFormat(*config));
    }

private:
    std::unique_ptr<TempDir> _dir;
};

CPPUNIT_TEST_SUITE_REGISTRATION(LogSetupTest);
