#pragma once

#include "config/SettingCatalog.h"

#include <map>
#include <string>

namespace wiretap::app
{

/// Every configuration key wiretap reads, with its built-in default, in the order of
/// etc/wiretap.properties; `hooks.*.token`; and the prefixes that belong to Poco
/// (`logging.`, `application.`, `system.`). `env` gives state.dir its default.
config::SettingCatalog knownSettings(const std::map<std::string, std::string>& env);

/// state.dir when the configuration does not set it: systemd's StateDirectory=
/// (exported as $STATE_DIRECTORY, the first of a colon-separated list), else /var/lib/wiretap.
std::string defaultStateDir(const std::map<std::string, std::string>& env);

} // namespace wiretap::app
