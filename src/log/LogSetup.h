#pragma once

#include <Poco/Util/AbstractConfiguration.h>

namespace wiretap::log
{

/// Makes `LogrusFormatter` and `JsonLogFormatter` usable as class names in
/// Poco's `logging.formatters.*.class` keys. Safe to call more than once.
void registerFormatters();

/// When the configuration has no `logging.*` keys, sends every logger to the
/// console (stderr) in the seed's logrus format, or JSON with `log.format=json`.
/// Applies `log.level` to the root logger in both cases. Throws ConfigError for
/// an unknown format or level.
void configureDefaultLogging(const Poco::Util::AbstractConfiguration& config);

} // namespace wiretap::log
