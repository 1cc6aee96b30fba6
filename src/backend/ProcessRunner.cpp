#include "backend/ProcessRunner.h"

#include "backend/BackendError.h"

#include <Poco/Clock.h>
#include <Poco/Environment.h>
#include <Poco/Exception.h>
#include <Poco/Pipe.h>
#include <Poco/Process.h>
#include <Poco/StringTokenizer.h>

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

namespace wiretap::backend
{
namespace
{

bool isExecutableFile(const std::string& path)
{
    struct stat info = {};
    return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

/// Reads what is available on `fd` into `into`; false at end of file (or on a read error).
bool drain(int fd, std::string& into)
{
    char buffer[65536];
    for (;;)
    {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n > 0)
        {
            into.append(buffer, static_cast<std::size_t>(n));
            return true;
        }
        if (n < 0 && errno == EINTR)
            continue;
        return false;
    }
}

} // namespace

std::string ProcessRunner::findExecutable(const std::string& program, const std::string& path)
{
    if (program.empty())
        return "";
    if (program.find('/') != std::string::npos)
        return isExecutableFile(program) ? program : "";
    Poco::StringTokenizer dirs(path, ":", Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    for (const auto& dir : dirs)
    {
        const std::string candidate = dir + "/" + program;
        if (isExecutableFile(candidate))
            return candidate;
    }
    return "";
}

ProcessResult ProcessRunner::run(const std::string& program, const std::vector<std::string>& args,
                                 const std::map<std::string, std::string>& env, Poco::Timespan timeout)
{
    const auto pathVar = env.find("PATH");
    const std::string path =
        pathVar != env.end() ? pathVar->second : Poco::Environment::get("PATH", "/usr/bin:/bin");
    const std::string executable = findExecutable(program, path);
    if (executable.empty())
        throw BackendError("cannot run '" + program + "': no executable file of that name" +
                           (program.find('/') == std::string::npos ? " in PATH" : ""));

    Poco::Pipe inPipe;
    Poco::Pipe outPipe;
    Poco::Pipe errPipe;
    Poco::Process::Env childEnv(env.begin(), env.end());
    Poco::ProcessHandle handle = Poco::Process::launch(
        executable, Poco::Process::Args(args.begin(), args.end()), &inPipe, &outPipe, &errPipe, childEnv);
    inPipe.close();

    ProcessResult result;
    const Poco::Clock started;
    struct pollfd fds[2] = {{outPipe.readHandle(), POLLIN, 0}, {errPipe.readHandle(), POLLIN, 0}};
    std::string* sinks[2] = {&result.out, &result.err};
    int open = 2;
    while (open > 0)
    {
        const Poco::Clock::ClockDiff left = timeout.totalMicroseconds() - started.elapsed();
        if (left <= 0)
        {
            result.timedOut = true;
            break;
        }
        const int ready = ::poll(fds, 2, static_cast<int>((left + 999) / 1000));
        if (ready < 0 && errno != EINTR)
            break;
        for (int i = 0; i < 2; ++i)
        {
            if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) != 0 &&
                !drain(fds[i].fd, *sinks[i]))
            {
                fds[i].fd = -1;
                --open;
            }
        }
    }

    // Both pipes are closed: the child is exiting. Reap it, still within the deadline.
    int status = -1;
    while (!result.timedOut && (status = handle.tryWait()) == -1)
    {
        if (started.elapsed() >= timeout.totalMicroseconds())
            result.timedOut = true;
        else
            ::usleep(1000);
    }
    if (result.timedOut)
    {
        try
        {
            Poco::Process::kill(handle);
        }
        catch (const Poco::Exception&)
        {
            // already gone; wait() below reaps it
        }
        status = handle.wait();
    }
    result.exitCode = status;
    return result;
}

} // namespace wiretap::backend
