#include "log/LogFileReopener.h"
#include "PocoLoggingConfig.h"
#include "TempDir.h"
#include "log/LogFields.h"
#include "log/LogSetup.h"

#include <Poco/AutoPtr.h>
#include <Poco/File.h>
#include <Poco/Logger.h>

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <sstream>
#include <thread>

using wiretap::backend::TempDir;
using wiretap::log::configurePocoLogging;
using wiretap::log::LogFileReopener;

namespace
{
std::size_t countLines(const std::string& text)
{
    std::size_t lines = 0;
    for (const char ch : text)
        lines += ch == '\n' ? 1 : 0;
    return lines;
}
} // namespace

/// SIGHUP's work: after logrotate renames a log file, reopening sends new lines to a
/// fresh file at the configured path, also while other threads log.
class LogFileReopenerTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(LogFileReopenerTest);
    CPPUNIT_TEST(testRenamedFileIsReplacedByAFreshOne);
    CPPUNIT_TEST(testFindsFilesBehindSplitterAndAsyncChannels);
    CPPUNIT_TEST(testReopeningWhileThreadsLogLosesNoLine);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        wiretap::log::registerLoggingClasses();
        _dir.reset(new TempDir);
    }

    void testRenamedFileIsReplacedByAFreshOne()
    {
        configurePocoLogging("logging.formatters.rf.class = LogrusFormatter\n"
                             "logging.channels.rc1.class = FileChannel\n"
                             "logging.channels.rc1.path = " +
                             _dir->path() +
                             "/a.log\n"
                             "logging.channels.rc1.formatter = rf\n"
                             "logging.loggers.r1.name = wiretap.reopen1\n"
                             "logging.loggers.r1.channel = rc1\n");
        LogFileReopener reopener;
        reopener.adopt({"rc1"});
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), reopener.size());
        auto& logger = Poco::Logger::get("wiretap.reopen1");
        wiretap::log::info(logger, "before");
        Poco::File(_dir->path() + "/a.log").renameTo(_dir->path() + "/a.log.1");
        wiretap::log::info(logger, "still the old file");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), reopener.reopen());
        CPPUNIT_ASSERT(Poco::File(_dir->path() + "/a.log").exists());
        wiretap::log::info(logger, "after");
        reopener.reopen();
        const std::string old = _dir->read("a.log.1");
        const std::string fresh = _dir->read("a.log");
        CPPUNIT_ASSERT(old.find("msg=before") != std::string::npos);
        CPPUNIT_ASSERT(old.find("msg=\"still the old file\"") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), countLines(fresh));
        CPPUNIT_ASSERT(fresh.find("msg=after") != std::string::npos);
    }

    void testFindsFilesBehindSplitterAndAsyncChannels()
    {
        configurePocoLogging("logging.channels.rc2.class = FileChannel\n"
                             "logging.channels.rc2.path = " +
                             _dir->path() +
                             "/b.log\n"
                             "logging.channels.rc3.class = SimpleFileChannel\n"
                             "logging.channels.rc3.path = " +
                             _dir->path() +
                             "/c.log\n"
                             "logging.channels.rs.class = SplitterChannel\n"
                             "logging.channels.rs.channels = rc2,rc3\n"
                             "logging.channels.ra.class = AsyncChannel\n"
                             "logging.channels.ra.channel = rs\n"
                             "logging.loggers.r2.name = wiretap.reopen2\n"
                             "logging.loggers.r2.channel = rs\n");
        LogFileReopener reopener;
        reopener.adopt({"rc2", "rc3", "rs", "ra"});
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), reopener.size());
        reopener.reopen();
        Poco::File(_dir->path() + "/b.log").renameTo(_dir->path() + "/b.log.1");
        Poco::File(_dir->path() + "/c.log").renameTo(_dir->path() + "/c.log.1");
        reopener.reopen();
        wiretap::log::info(Poco::Logger::get("wiretap.reopen2"), "after");
        reopener.reopen();
        CPPUNIT_ASSERT_EQUAL(std::string("after\n"), _dir->read("b.log"));
        CPPUNIT_ASSERT_EQUAL(std::string("after\n"), _dir->read("c.log"));
    }

    void testReopeningWhileThreadsLogLosesNoLine()
    {
        configurePocoLogging("logging.channels.rc4.class = FileChannel\n"
                             "logging.channels.rc4.path = " +
                             _dir->path() +
                             "/d.log\n"
                             "logging.loggers.r4.name = wiretap.reopen4\n"
                             "logging.loggers.r4.channel = rc4\n");
        LogFileReopener reopener;
        reopener.adopt({"rc4"});
        reopener.reopen(); // as the application does: the file exists from the start
        auto& logger = Poco::Logger::get("wiretap.reopen4");
        constexpr int threads = 4;
        constexpr int linesEach = 2000;
        std::atomic<int> running{threads};
        std::vector<std::thread> writers;
        for (int t = 0; t < threads; ++t)
            writers.emplace_back(
                [&]
                {
                    for (int i = 0; i < linesEach; ++i)
                        wiretap::log::info(logger, "line");
                    --running;
                });
        int renames = 0;
        while (running.load() > 0)
        {
            Poco::File(_dir->path() + "/d.log")
                .renameTo(_dir->path() + "/d.log." + std::to_string(++renames));
            reopener.reopen();
        }
        for (auto& writer : writers)
            writer.join();
        reopener.reopen();
        std::size_t total = countLines(_dir->read("d.log"));
        for (int i = 1; i <= renames; ++i)
            total += countLines(_dir->read("d.log." + std::to_string(i)));
        CPPUNIT_ASSERT_EQUAL(std::size_t(threads * linesEach), total);
        CPPUNIT_ASSERT(renames > 0);
    }

private:
    std::unique_ptr<TempDir> _dir;
};

CPPUNIT_TEST_SUITE_REGISTRATION(LogFileReopenerTest);
