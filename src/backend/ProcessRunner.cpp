#include "backend/ProcessRunner.h"

#include "backend/BackendError.h"

#include <Poco/Clock.h>
#include <Poco/Environment.h>
#include <Poco/Error.h>
#include <Poco/StringTokenizer.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
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

/// A file descriptor, closed when it goes out of scope.
class Fd
{
public:
    explicit Fd(int fd = -1) : _fd(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { close(); }
    int get() const { return _fd; }
    void close()
    {
        if (_fd >= 0)
            ::close(_fd);
        _fd = -1;
    }

private:
    int _fd;
};

/// A descriptor moved above 0, 1 and 2, so that no dup2() onto the child's stdio can overwrite
/// another pipe end (wiretap may run with a standard stream closed).
int aboveStdio(int fd)
{
    if (fd > STDERR_FILENO)
        return fd;
    const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
    ::close(fd);
    return moved;
}

/// Both ends of a pipe, close-on-exec, so that no child another thread starts inherits them.
struct PipeFds
{
    Fd read;
    Fd write;
};

PipeFds makePipe()
{
    int ends[2];
    if (::pipe2(ends, O_CLOEXEC) != 0)
        throw BackendError("cannot create a pipe: " + Poco::Error::getMessage(errno));
    return PipeFds{Fd(aboveStdio(ends[0])), Fd(aboveStdio(ends[1]))};
}

/// posix_spawn's file actions and attributes for a clean child: the three pipes as its stdio,
/// every other descriptor closed, no signal blocked and every signal at its default action.
/// wiretap itself blocks SIGINT/SIGTERM/SIGQUIT in all threads and ignores SIGPIPE; neither
/// may reach the docker CLI (an ignored signal survives exec()).
class SpawnSetup
{
public:
    SpawnSetup(int in, int out, int err)
    {
        ::posix_spawn_file_actions_init(&_actions);
        ::posix_spawnattr_init(&_attributes);
        ::posix_spawn_file_actions_adddup2(&_actions, in, STDIN_FILENO);
        ::posix_spawn_file_actions_adddup2(&_actions, out, STDOUT_FILENO);
        ::posix_spawn_file_actions_adddup2(&_actions, err, STDERR_FILENO);
        // Descriptors wiretap (or POCO) opened without O_CLOEXEC; close_range(2) in one call.
        ::posix_spawn_file_actions_addclosefrom_np(&_actions, STDERR_FILENO + 1);
        sigset_t none;
        sigemptyset(&none);
        ::posix_spawnattr_setsigmask(&_attributes, &none);
        sigset_t all;
        sigfillset(&all);
        ::posix_spawnattr_setsigdefault(&_attributes, &all);
        ::posix_spawnattr_setflags(&_attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    }
    SpawnSetup(const SpawnSetup&) = delete;
    SpawnSetup& operator=(const SpawnSetup&) = delete;
    ~SpawnSetup()
    {
        ::posix_spawnattr_destroy(&_attributes);
        ::posix_spawn_file_actions_destroy(&_actions);
    }
    const posix_spawn_file_actions_t* actions() const { return &_actions; }
    const posix_spawnattr_t* attributes() const { return &_attributes; }

private:
    posix_spawn_file_actions_t _actions;
    posix_spawnattr_t _attributes;
};

/// This process's environment with `overrides` set, as NAME=VALUE strings.
std::vector<std::string> environmentWith(const std::map<std::string, std::string>& overrides)
{
    std::vector<std::string> entries;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry)
    {
        const char* equals = std::strchr(*entry, '=');
        const std::string name =
            equals != nullptr ? std::string(*entry, static_cast<std::size_t>(equals - *entry)) : *entry;
        if (overrides.count(name) == 0)
            entries.emplace_back(*entry);
    }
    for (const auto& [name, value] : overrides)
        entries.push_back(name + "=" + value);
    return entries;
}

/// The NULL-terminated pointer array execve() wants; `strings` must outlive it.
std::vector<char*> pointersTo(std::vector<std::string>& strings)
{
    std::vector<char*> pointers;
    pointers.reserve(strings.size() + 1);
    for (auto& s : strings)
        pointers.push_back(s.data());
    pointers.push_back(nullptr);
    return pointers;
}

/// The wait status as ProcessResult::exitCode: the exit status, or 256 + the signal number.
int exitCodeOf(int status)
{
    return WIFEXITED(status) ? WEXITSTATUS(status) : 256 + WTERMSIG(status);
}

/// A started child that is killed and reaped if it is left behind (an exception while reading).
class Child
{
public:
    explicit Child(pid_t pid) : _pid(pid) {}
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    ~Child()
    {
        if (_pid > 0)
            killAndWait();
    }

    /// The exit code if the child has ended, else -1.
    int tryWait()
    {
        int status = 0;
        pid_t rc;
        while ((rc = ::waitpid(_pid, &status, WNOHANG)) < 0 && errno == EINTR)
            ;
        if (rc != _pid)
            return -1;
        _pid = -1;
        return exitCodeOf(status);
    }

    int killAndWait()
    {
        ::kill(_pid, SIGKILL);
        int status = 0;
        pid_t rc;
        while ((rc = ::waitpid(_pid, &status, 0)) < 0 && errno == EINTR)
            ;
        _pid = -1;
        return rc > 0 ? exitCodeOf(status) : -1;
    }

private:
    pid_t _pid;
};

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

    std::vector<std::string> argvStrings = {executable};
    argvStrings.insert(argvStrings.end(), args.begin(), args.end());
    std::vector<std::string> envStrings = environmentWith(env);
    const std::vector<char*> argv = pointersTo(argvStrings);
    const std::vector<char*> envp = pointersTo(envStrings);

    PipeFds inPipe = makePipe();
    PipeFds outPipe = makePipe();
    PipeFds errPipe = makePipe();
    inPipe.write.close(); // stdin: an empty pipe, end of file at once
    pid_t pid = -1;
    {
        const SpawnSetup setup(inPipe.read.get(), outPipe.write.get(), errPipe.write.get());
        // glibc's posix_spawn is clone(CLONE_VM|CLONE_VFORK) + execve: no copy of this process's
        // page tables, and exec failures come back here as an error number.
        const int rc = ::posix_spawn(&pid, executable.c_str(), setup.actions(), setup.attributes(),
                                     argv.data(), envp.data());
        if (rc != 0)
            throw BackendError("cannot run '" + program + "' (" + executable +
                               "): " + Poco::Error::getMessage(rc));
    }
    Child child(pid);
    inPipe.read.close();
    outPipe.write.close();
    errPipe.write.close();

    ProcessResult result;
    const Poco::Clock started;
    struct pollfd fds[2] = {{outPipe.read.get(), POLLIN, 0}, {errPipe.read.get(), POLLIN, 0}};
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
    while (!result.timedOut && (status = child.tryWait()) == -1)
    {
        if (started.elapsed() >= timeout.totalMicroseconds())
            result.timedOut = true;
        else
            ::usleep(1000);
    }
    if (result.timedOut)
        status = child.killAndWait();
    result.exitCode = status;
    return result;
}

} // namespace wiretap::backend
