#include "log/ServiceLogging.h"

#include "config/ConfigError.h"
#include "log/JsonLogFormatter.h"
#include "log/LogFields.h"
#include "log/LogSetup.h"
#include "log/LogrusFormatter.h"

#include <Poco/Exception.h>
#include <Poco/Logger.h>

#include <iostream>

namespace wiretap::log
{

void ServiceLogging::configure(const Poco::Util::AbstractConfiguration& config, const std::string& pocoError)
{
    _format = consoleFormat(config);
    _echoErrorsToStderr = false;
    try
    {
        if (!pocoError.empty())
            throw config::ConfigError("logging.*", pocoError);
        configureDefaultLogging(config);
        if (!hasPocoLogging(config))
            return;
        Poco::Util::AbstractConfiguration::Keys channels;
        config.keys("logging.channels", channels);
        try
        {
            _files.adopt(channels);
            _files.reopen();
        }
        catch (const Poco::Exception& exc)
        {
            throw config::ConfigError("logging.channels", exc.displayText());
        }
        _echoErrorsToStderr = !pocoLoggingUsesConsole(config);
    }
    catch (const config::ConfigError&)
    {
        logToConsole(_format);
        throw;
    }
}

void ServiceLogging::reportError(const std::string& message)
{
    error(Poco::Logger::get("wiretap"), message);
    if (!_echoErrorsToStderr)
        return;
    std::string line;
    const auto record = makeMessage("wiretap", Poco::Message::PRIO_ERROR, message, {});
    if (_format == "json")
        JsonLogFormatter().format(record, line);
    else
        LogrusFormatter().format(record, line);
    std::cerr << line << std::endl;
}

void ServiceLogging::reopenFiles()
{
    auto& logger = Poco::Logger::get("wiretap");
    try
    {
        const auto files = _files.reopen();
        info(logger, "Reopened log files", {{"Files", std::to_string(files)}});
    }
    catch (const Poco::Exception& exc)
    {
        // The file channel itself may be what failed: say it on stderr as well.
        std::cerr << "wiretap: cannot reopen the log files: " << exc.displayText() << std::endl;
        try
        {
            error(logger, "Cannot reopen the log files", {{"Error", exc.displayText()}});
        }
        catch (const Poco::Exception&)
        {
        }
    }
}

} // namespace wiretap::log
