#pragma once

#include "log/LogFileReopener.h"

#include <Poco/Util/AbstractConfiguration.h>

#include <string>

namespace wiretap::log
{

/// wiretap's logging over the life of the service: set up from `log.*` and Poco's
/// `logging.*` keys, start-up errors said where a person starting wiretap looks, and
/// the log files reopened on SIGHUP.
class ServiceLogging
{
public:
    /// Call once Poco's LoggingSubsystem has applied the `logging.*` keys; `pocoError` is
    /// what it threw, empty when nothing. Opens every log file now, so an unwritable path
    /// fails here. On any problem logs go to the console instead, and a ConfigError
    /// naming the key (`log.level`, `log.format`, `logging.*`, `logging.channels`) is thrown.
    void configure(const Poco::Util::AbstractConfiguration& config, const std::string& pocoError);

    /// Logs `message` as one error line; when the configured channels write elsewhere
    /// (a file, syslog), also prints it on stderr.
    void reportError(const std::string& message);

    /// Reopens every log file and logs how many; failures are logged, not thrown.
    void reopenFiles();

private:
    LogFileReopener _files;
    bool _echoErrorsToStderr = false;
    std::string _format = "text";
};

} // namespace wiretap::log
