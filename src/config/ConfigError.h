#pragma once

#include <stdexcept>
#include <string>

namespace wiretap::config
{

/// A setting with an unusable value. The message names the key and the problem,
/// so the application can print it as one line and exit with EX_CONFIG (78).
class ConfigError : public std::runtime_error
{
public:
    ConfigError(const std::string& key, const std::string& problem);

    const std::string& key() const { return _key; }

private:
    std::string _key;
};

} // namespace wiretap::config
