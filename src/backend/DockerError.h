#pragma once

#include "backend/BackendError.h"

#include <string>
#include <vector>

namespace wiretap::backend
{

/// A docker CLI call that failed: exited non-zero, timed out, or printed what cannot be read.
/// The message holds the command (secrets masked) and docker's trimmed stderr.
class DockerError : public BackendError
{
public:
    DockerError(const std::vector<std::string>& argv, int exitCode, const std::string& stderrText,
                bool timedOut = false);

    const std::string& command() const { return _command; } ///< shell-quoted, secrets masked
    const std::string& stderrText() const { return _stderr; }
    int exitCode() const { return _exitCode; }
    bool timedOut() const { return _timedOut; }

    /// The argv with secret values replaced by `***`: the value of `-e/--env KEY=VALUE` (the key
    /// stays), `--password`, `--build-arg`, and of any flag whose name holds "token" or "secret".
    static std::vector<std::string> maskSecrets(const std::vector<std::string>& argv);

private:
    std::string _command;
    std::string _stderr;
    int _exitCode;
    bool _timedOut;
};

} // namespace wiretap::backend
