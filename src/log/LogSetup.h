#pragma once

#include <Poco/Util/AbstractConfiguration.h>

#include <string>

namespace wiretap::log
{

/// Makes `LogrusFormatter` and `JsonLogFormatter` usable as class names in Poco's
/// `logging.formatters.*.class` (and `logging.channels.*.formatter.class`) keys, and
/// `RemoteSyslogChannel` (syslog over UDP) in `logging.channels.*.class`, next to
/// Poco's own FileChannel, SyslogChannel, ConsoleChannel... Safe to call more than once.
void registerLoggingClasses();

/// True when the configuration has Poco `logging.*` keys: Poco's LoggingConfigurator
/// then decides the channels, and `log.format` does not apply.
bool hasPocoLogging(const Poco::Util::AbstractConfiguration& config);

/// True when some `logging.channels.*.class` writes to the console.
bool pocoLoggingUsesConsole(const Poco::Util::AbstractConfiguration& config);

/// Without `logging.*` keys, sends every logger to the console (stderr) in the seed's
/// logrus format, or JSON with `log.format=json`. Applies `log.level` to every logger
/// when it is set, or when there are no `logging.*` keys (default info); otherwise
/// `logging.loggers.*.level` decide. Throws ConfigError for an unknown format or level.
void configureDefaultLogging(const Poco::Util::AbstractConfiguration& config);

/// Sends every logger to the console in `format` (text or json; anything else is text).
/// The fallback when the logging configuration itself is broken.
void logToConsole(const std::string& format);

/// The `log.format` value (text or json), lower case; "text" when it is not valid.
std::string consoleFormat(const Poco::Util::AbstractConfiguration& config);

} // namespace wiretap::log
