#include "config/SettingCatalog.h"

#include <Poco/StringTokenizer.h>

namespace wiretap::config
{
namespace
{
bool matchesPattern(const std::string& key, const std::string& pattern)
{
    const Poco::StringTokenizer keyParts(key, ".");
    const Poco::StringTokenizer patternParts(pattern, ".");
    if (keyParts.count() != patternParts.count())
        return false;
    for (std::size_t i = 0; i < keyParts.count(); ++i)
        if (patternParts[i] != "*" && patternParts[i] != keyParts[i])
            return false;
    return true;
}
} // namespace

SettingCatalog::SettingCatalog(std::vector<KnownSetting> settings, std::vector<std::string> patterns,
                               std::vector<std::string> openPrefixes)
    : _settings(std::move(settings)), _patterns(std::move(patterns)), _openPrefixes(std::move(openPrefixes))
{
}

bool SettingCatalog::knows(const std::string& key) const
{
    for (const auto& setting : _settings)
        if (setting.key == key)
            return true;
    return matchesPatternOrPrefix(key);
}

bool SettingCatalog::matchesPatternOrPrefix(const std::string& key) const
{
    for (const auto& pattern : _patterns)
        if (matchesPattern(key, pattern))
            return true;
    for (const auto& prefix : _openPrefixes)
        if (key.rfind(prefix, 0) == 0)
            return true;
    return false;
}

std::vector<std::string> SettingCatalog::unknownAmong(const std::vector<std::string>& keys) const
{
    std::vector<std::string> unknown;
    for (const auto& key : keys)
        if (!knows(key))
            unknown.push_back(key);
    return unknown;
}

} // namespace wiretap::config
