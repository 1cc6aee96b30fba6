#pragma once

#include "config/ConfigLayers.h"
#include "config/SettingCatalog.h"

#include <Poco/Util/AbstractConfiguration.h>

#include <ostream>

namespace wiretap::config
{

/// Writes the effective configuration for --check-config, one key a line with its value
/// (secrets masked, see SecretMask.h) and where the value came from:
///   http.port = 8123  # command line
///   wiretap.token = ********  # environment TOKEN
/// First every known key in catalog order, then the pattern and `logging.*` keys that
/// were set, then the unknown keys that were set (marked as ignored).
void printEffectiveConfiguration(std::ostream& out, const Poco::Util::AbstractConfiguration& config,
                                 const ConfigLayers& layers, const SettingCatalog& catalog);

} // namespace wiretap::config
