#include "config/ConfigError.h"

namespace wiretap::config
{

ConfigError::ConfigError(const std::string& key, const std::string& problem)
    : std::runtime_error("invalid configuration: " + key + ": " + problem), _key(key)
{
}

} // namespace wiretap::config
