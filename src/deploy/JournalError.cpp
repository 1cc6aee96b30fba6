#include "deploy/JournalError.h"

namespace wiretap::deploy
{

JournalError::JournalError(const std::string& path, const std::string& problem)
    : std::runtime_error("deploy journal " + path + ": " + problem), _path(path)
{
}

} // namespace wiretap::deploy
