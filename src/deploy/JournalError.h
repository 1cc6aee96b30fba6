#pragma once

#include <stdexcept>
#include <string>

namespace wiretap::deploy
{

/// The deploy journal cannot be opened, read or written (missing or read-only
/// state.dir, disk full, corrupt file). The message names the path and says
/// what SQLite answered, so the application can print it as one line.
class JournalError : public std::runtime_error
{
public:
    JournalError(const std::string& path, const std::string& problem);

    const std::string& path() const { return _path; }

private:
    std::string _path;
};

/// Another wiretap (a running server) holds the state directory's lock.
class StateDirectoryInUse : public JournalError
{
public:
    using JournalError::JournalError;
};

} // namespace wiretap::deploy
