#include "log/LogSetup.h"

#include "config/ConfigError.h"
#include "log/JsonLogFormatter.h"
#include "log/LogrusFormatter.h"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Instantiator.h>
#include <Poco/Logger.h>
#include <Poco/LoggingFactory.h>
#include <Poco/Net/RemoteSyslogChannel.h>
#include <Poco/String.h>

#include <mutex>

namespace wiretap::log
{
namespace
{
int parseLevel(const std::string& raw)
{
    const std::string level = Poco::toLower(Poco::trim(raw));
    if (level == "info")
        return Poco::Message::PRIO_INFORMATION;
    if (level == "warn")
        return Poco::Message::PRIO_WARNING;
    try
    {
        return Poco::Logger::parseLevel(level);
    }
    catch (const Poco::Exception&)
    {
        throw config::ConfigError("log.level", "'" + raw +
                                                   "' is not a level (trace, debug, info, notice, warning, "
                                                   "error, critical, fatal)");
    }
}

void setAllLevels(int level)
{
    Poco::Logger::root().setLevel(level);
    Poco::Logger::setLevel("", level);
}
} // namespace

void registerLoggingClasses()
{
    static std::once_flag once;
    std::call_once(once,
                   []
                   {
                       auto& factory = Poco::LoggingFactory::defaultFactory();
                       factory.registerFormatterClass(
                           "LogrusFormatter", new Poco::Instantiator<LogrusFormatter, Poco::Formatter>);
                       factory.registerFormatterClass(
                           "JsonLogFormatter", new Poco::Instantiator<JsonLogFormatter, Poco::Formatter>);
                       Poco::Net::RemoteSyslogChannel::registerChannel();
                   });
}

bool hasPocoLogging(const Poco::Util::AbstractConfiguration& config)
{
    // has("logging") asks for a value at "logging" itself, which there never is.
    Poco::Util::AbstractConfiguration::Keys keys;
    config.keys("logging", keys);
    return !keys.empty();
}

bool pocoLoggingUsesConsole(const Poco::Util::AbstractConfiguration& config)
{
    Poco::Util::AbstractConfiguration::Keys channels;
    config.keys("logging.channels", channels);
    for (const auto& channel : channels)
        if (config.getString("logging.channels." + channel + ".class", "").find("Console") !=
            std::string::npos)
            return true;
    return false;
}

std::string consoleFormat(const Poco::Util::AbstractConfiguration& config)
{
    const std::string format = Poco::toLower(Poco::trim(config.getString("log.format", "text")));
    return format == "json" ? format : "text";
}

void logToConsole(const std::string& format)
{
    Poco::AutoPtr<Poco::Formatter> formatter;
    if (format == "json")
        formatter = new JsonLogFormatter;
    else
        formatter = new LogrusFormatter;
    Poco::AutoPtr<Poco::Channel> console(new Poco::ConsoleChannel);
    Poco::AutoPtr<Poco::Channel> channel(new Poco::FormattingChannel(formatter, console));
    Poco::Logger::root().setChannel(channel);
    Poco::Logger::setChannel("", channel);
}

void configureDefaultLogging(const Poco::Util::AbstractConfiguration& config)
{
    const bool explicitLevel = config.hasProperty("log.level");
    const int level = parseLevel(config.getString("log.level", "info"));
    const std::string format = Poco::toLower(Poco::trim(config.getString("log.format", "text")));
    if (format != "text" && format != "json")
        throw config::ConfigError("log.format", "'" + format + "' is not a log format (text, json)");

    const bool pocoLogging = hasPocoLogging(config);
    if (!pocoLogging)
        logToConsole(format);
    if (explicitLevel || !pocoLogging)
        setAllLevels(level);
}

} // namespace wiretap::log
