#pragma once

#include <string>
#include <vector>

namespace wiretap::config
{

/// A configuration key wiretap reads, with its built-in default as text.
struct KnownSetting
{
    std::string key;
    std::string defaultValue;
};

/// The keys wiretap knows: exact keys with defaults, patterns whose `*` stands for one
/// name segment (`hooks.*.token`), and open prefixes whose keys belong to someone else
/// (`logging.` for Poco's LoggingConfigurator, `application.`, `system.`).
class SettingCatalog
{
public:
    SettingCatalog(std::vector<KnownSetting> settings, std::vector<std::string> patterns,
                   std::vector<std::string> openPrefixes);

    bool knows(const std::string& key) const;
    /// True for keys matched by a pattern or an open prefix rather than listed.
    bool matchesPatternOrPrefix(const std::string& key) const;
    /// The keys among `keys` this catalog does not know, in order.
    std::vector<std::string> unknownAmong(const std::vector<std::string>& keys) const;
    const std::vector<KnownSetting>& settings() const { return _settings; }

private:
    std::vector<KnownSetting> _settings;
    std::vector<std::string> _patterns;
    std::vector<std::string> _openPrefixes;
};

} // namespace wiretap::config
