#include "backend/ProcessRunner.h"
#include "backend/BackendError.h"

#include <Poco/Clock.h>
#include <Poco/Thread.h>

#include <Poco/File.h>
#include <Poco/TemporaryFile.h>

#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <pthread.h>
#include <sstream>
#include <thread>
#include <unistd.h>

#include <cppunit/extensions/HelperMacros.h>

using wiretap::backend::BackendError;
using wiretap::backend::ProcessResult;
using wiretap::backend::ProcessRunner;

class ProcessRunnerTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ProcessRunnerTest);
    CPPUNIT_TEST(testCollectsStdoutStderrAndExitStatus);
    CPPUNIT_TEST(testReadsLargeOutputOnBothPipesWithoutDeadlock);
    CPPUNIT_TEST(testKillsTheChildAtTheDeadline);
    CPPUNIT_TEST(testPassesArgumentsVerbatimWithoutAShell);
    CPPUNIT_TEST(testSetsAndEmptiesEnvironmentVariables);
    CPPUNIT_TEST(testStdinIsEmpty);
    CPPUNIT_TEST(testReportsDeathBySignal);
    CPPUNIT_TEST(testMissingProgramThrows);
    CPPUNIT_TEST(testProgramThatCannotBeExecutedThrows);
    CPPUNIT_TEST(testChildBlocksAndIgnoresNoSignal);
    CPPUNIT_TEST(testChildInheritsOnlyItsStdio);
    CPPUNIT_TEST(testFindsProgramsInPath);
    CPPUNIT_TEST(testConcurrentCallsDoNotWaitForEachOther);
    CPPUNIT_TEST_SUITE_END();

public:
    void testCollectsStdoutStderrAndExitStatus()
    {
        const ProcessResult result = sh("printf out; printf err >&2; exit 3");
        CPPUNIT_ASSERT_EQUAL(3, result.exitCode);
        CPPUNIT_ASSERT(!result.timedOut);
        CPPUNIT_ASSERT_EQUAL(std::string("out"), result.out);
        CPPUNIT_ASSERT_EQUAL(std::string("err"), result.err);
    }

    void testReadsLargeOutputOnBothPipesWithoutDeadlock()
    {
        // 4 MiB on each pipe, interleaved: a reader of one pipe at a time would block forever.
        const ProcessResult result = sh("i=0; while [ $i -lt 64 ]; do head -c 65536 /dev/zero; head -c 65536 "
                                        "/dev/zero >&2; i=$((i+1)); done",
                                        Poco::Timespan(30, 0));
        CPPUNIT_ASSERT_EQUAL(0, result.exitCode);
        CPPUNIT_ASSERT_EQUAL(std::size_t(4 << 20), result.out.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(4 << 20), result.err.size());
    }

    void testKillsTheChildAtTheDeadline()
    {
        const Poco::Clock started;
        const ProcessResult result = sh("printf partial; exec sleep 30", Poco::Timespan(0, 300000));
        CPPUNIT_ASSERT(result.timedOut);
        CPPUNIT_ASSERT_EQUAL(256 + 9, result.exitCode); // SIGKILL
        CPPUNIT_ASSERT_EQUAL(std::string("partial"), result.out);
        CPPUNIT_ASSERT(started.elapsed() < 5 * 1000000);
    }

    void testPassesArgumentsVerbatimWithoutAShell()
    {
        ProcessRunner runner;
        const std::vector<std::string> args = {
            "-c", "for a in \"$@\"; do printf '[%s]' \"$a\"; done", "sh", "a b", "$HOME", "'q'", "", "é"};
        const ProcessResult result = runner.run("/bin/sh", args, {}, Poco::Timespan(10, 0));
        CPPUNIT_ASSERT_EQUAL(std::string("[a b][$HOME]['q'][][é]"), result.out);
    }

    void testSetsAndEmptiesEnvironmentVariables()
    {
        ProcessRunner runner;
        const ProcessResult result =
            runner.run("/bin/sh", {"-c", "printf '%s|%s' \"$WT_A\" \"${HOME-unset}\""},
                       {{"WT_A", "x y"}, {"HOME", ""}}, Poco::Timespan(10, 0));
        CPPUNIT_ASSERT_EQUAL(std::string("x y|"), result.out);
    }

    void testStdinIsEmpty()
    {
        const ProcessResult result = sh("cat; echo done");
        CPPUNIT_ASSERT_EQUAL(std::string("done\n"), result.out);
    }

    void testReportsDeathBySignal()
    {
        const ProcessResult result = sh("kill -TERM $$");
        CPPUNIT_ASSERT(!result.timedOut);
        CPPUNIT_ASSERT_EQUAL(256 + 15, result.exitCode);
    }

    void testMissingProgramThrows()
    {
        ProcessRunner runner;
        CPPUNIT_ASSERT_THROW(runner.run("/nonexistent/docker", {}, {}, Poco::Timespan(1, 0)), BackendError);
        try
        {
            runner.run("wiretap-no-such-program", {}, {{"PATH", "/usr/bin:/bin"}}, Poco::Timespan(1, 0));
            CPPUNIT_FAIL("no exception");
        }
        catch (const BackendError& e)
        {
            CPPUNIT_ASSERT_EQUAL(
                std::string("cannot run 'wiretap-no-such-program': no executable file of that "
                            "name in PATH"),
                std::string(e.what()));
        }
    }

    void testProgramThatCannotBeExecutedThrows()
    {
        // Executable, but its interpreter is missing: execve() fails after the file was found.
        Poco::TemporaryFile script;
        std::ofstream(script.path()) << "#!/nonexistent/interpreter\n";
        script.setExecutable(true);
        ProcessRunner runner;
        try
        {
            runner.run(script.path(), {}, {}, Poco::Timespan(5, 0));
            CPPUNIT_FAIL("no exception");
        }
        catch (const BackendError& e)
        {
            const std::string message = e.what();
            CPPUNIT_ASSERT_MESSAGE(message, message.find("cannot run '" + script.path() + "'") == 0);
            CPPUNIT_ASSERT_MESSAGE(message, message.find("No such file or directory") != std::string::npos);
        }
    }

    void testChildBlocksAndIgnoresNoSignal()
    {
        // As in wiretap: SIGINT/SIGTERM/SIGQUIT blocked in the calling thread, SIGPIPE ignored.
        std::string status;
        const auto previousPipe = std::signal(SIGPIPE, SIG_IGN);
        std::thread caller(
            [&status]
            {
                sigset_t held;
                sigemptyset(&held);
                sigaddset(&held, SIGINT);
                sigaddset(&held, SIGTERM);
                sigaddset(&held, SIGQUIT);
                pthread_sigmask(SIG_BLOCK, &held, nullptr);
                status = sh("grep -E '^Sig(Blk|Ign)' /proc/$$/status | cut -f2 | tr '\\n' ' '").out;
            });
        caller.join();
        std::signal(SIGPIPE, previousPipe);
        std::istringstream fields(status);
        std::string blocked;
        std::string ignored;
        fields >> blocked >> ignored;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(status, std::string("0000000000000000"), blocked);
        // Signals 1..31. glibc's posix_spawn leaves its two internal signals (32, 33) ignored.
        CPPUNIT_ASSERT_EQUAL_MESSAGE(status, 0ull, std::stoull(ignored, nullptr, 16) & 0x7fffffffull);
    }

    void testChildInheritsOnlyItsStdio()
    {
        // Descriptors opened without O_CLOEXEC (as POCO's sockets and files are) stay here.
        const int file = ::open("/dev/null", O_RDONLY);
        int ends[2];
        CPPUNIT_ASSERT_EQUAL(0, ::pipe(ends));
        const ProcessResult result = sh("ls /proc/$$/fd");
        ::close(file);
        ::close(ends[0]);
        ::close(ends[1]);
        CPPUNIT_ASSERT_EQUAL(std::string("0\n1\n2\n"), result.out);
    }

    void testFindsProgramsInPath()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("/bin/sh"),
                             ProcessRunner::findExecutable("sh", "/nonexistent:/bin"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), ProcessRunner::findExecutable("sh", "/nonexistent"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), ProcessRunner::findExecutable("/etc/passwd", "/bin"));
    }

    void testConcurrentCallsDoNotWaitForEachOther()
    {
        // A slow child started meanwhile must not hold the quick ones' pipes open (leaked fds).
        std::thread slow([] { sh("sleep 2"); });
        Poco::Thread::sleep(100);
        std::vector<std::thread> quick;
        std::vector<std::string> outputs(6);
        const Poco::Clock started;
        for (std::size_t i = 0; i < outputs.size(); ++i)
            quick.emplace_back([i, &outputs] { outputs[i] = sh("echo " + std::to_string(i)).out; });
        for (auto& thread : quick)
            thread.join();
        const auto elapsed = started.elapsed();
        slow.join();
        for (std::size_t i = 0; i < outputs.size(); ++i)
            CPPUNIT_ASSERT_EQUAL(std::to_string(i) + "\n", outputs[i]);
        CPPUNIT_ASSERT_MESSAGE(std::to_string(elapsed), elapsed < 1500000);
    }

private:
    static ProcessResult sh(const std::string& script, Poco::Timespan timeout = Poco::Timespan(10, 0))
    {
        ProcessRunner runner;
        return runner.run("/bin/sh", {"-c", script}, {}, timeout);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ProcessRunnerTest);
