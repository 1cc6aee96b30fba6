#pragma once

#include <Poco/Timespan.h>

#include <map>
#include <string>
#include <vector>

namespace wiretap::backend
{

/// What a finished (or killed) child process left behind.
struct ProcessResult
{
    int exitCode = 0;      ///< the exit status; 256 + N when killed by signal N
    bool timedOut = false; ///< true when the runner killed it at the deadline
    std::string out;       ///< everything written to stdout
    std::string err;       ///< everything written to stderr
};

/// Runs a program from an argv vector (never through a shell) and collects its output.
/// stdout and stderr are read concurrently with poll(), so a child filling either pipe never
/// blocks; stdin is an empty pipe. At the deadline the child gets SIGKILL and is reaped.
/// The child is started with posix_spawn() (no fork of this many-threaded process): it inherits
/// no descriptor but its three pipes, no blocked signal and no ignored one.
class ProcessRunner
{
public:
    virtual ~ProcessRunner() = default;

    /// `env` is added to (and overrides) this process's environment; an empty value makes a
    /// variable empty, which the docker CLI treats as unset. Throws BackendError when the
    /// program cannot be started (not found, not executable, exec() failed).
    virtual ProcessResult run(const std::string& program, const std::vector<std::string>& args,
                              const std::map<std::string, std::string>& env, Poco::Timespan timeout);

    /// The absolute path of `program` (searched in PATH when it holds no '/'), or "" when there
    /// is no executable file of that name.
    static std::string findExecutable(const std::string& program, const std::string& path);
};

} // namespace wiretap::backend
