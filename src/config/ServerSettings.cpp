#include "config/ServerSettings.h"

#include "config/ConfigError.h"

#include <Poco/Net/IPAddress.h>
#include <Poco/NumberFormatter.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>

#include <cmath>

namespace wiretap::config
{

int readInt(const Poco::Util::AbstractConfiguration& config, const std::string& key, int defaultValue,
            int min, int max)
{
    if (!config.hasProperty(key))
        return defaultValue;
    const std::string raw = Poco::trim(config.getRawString(key));
    int value = 0;
    if (!Poco::NumberParser::tryParse(raw, value))
        throw ConfigError(key, "'" + raw + "' is not a whole number");
    if (value < min || value > max)
        throw ConfigError(key, std::to_string(value) + " is out of range " + std::to_string(min) + ".." +
                                   std::to_string(max));
    return value;
}

Poco::Timespan readSeconds(const Poco::Util::AbstractConfiguration& config, const std::string& key,
                           double defaultSeconds, double minSeconds)
{
    double seconds = defaultSeconds;
    if (config.hasProperty(key))
    {
        const std::string raw = Poco::trim(config.getRawString(key));
        if (!Poco::NumberParser::tryParseFloat(raw, seconds) || !std::isfinite(seconds))
            throw ConfigError(key, "'" + raw + "' is not a number of seconds");
        if (seconds < minSeconds)
            throw ConfigError(key, "'" + raw + "' must not be less than " +
                                       Poco::NumberFormatter::format(minSeconds));
    }
    return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(std::llround(seconds * 1e6)));
}

bool readBool(const Poco::Util::AbstractConfiguration& config, const std::string& key, bool defaultValue)
{
    if (!config.hasProperty(key))
        return defaultValue;
    const std::string raw = Poco::trim(config.getRawString(key));
    bool value = false;
    if (!Poco::NumberParser::tryParseBool(raw, value))
        throw ConfigError(key, "'" + raw + "' is not a boolean (true/false, yes/no, on/off, 1/0)");
    return value;
}

ServerSettings ServerSettings::fromConfig(const Poco::Util::AbstractConfiguration& config)
{
    ServerSettings settings;
    settings.address = Poco::trim(config.getString("http.address", settings.address));
    Poco::Net::IPAddress parsed;
    if (!Poco::Net::IPAddress::tryParse(settings.address, parsed))
        throw ConfigError("http.address", "'" + settings.address + "' is not an IP address");
    settings.port = static_cast<unsigned short>(readInt(config, "http.port", settings.port, 0, 65535));
    settings.maxThreads = readInt(config, "http.maxThreads", settings.maxThreads, 1, 1024);
    settings.maxQueued = readInt(config, "http.maxQueued", settings.maxQueued, 1, 65536);
    settings.requestTimeout = readSeconds(config, "http.requestTimeout", 10, 0.001);
    settings.headerTimeout = readSeconds(config, "http.headerTimeout", 10, 0.001);
    settings.keepAliveTimeout = readSeconds(config, "http.keepAliveTimeout", 5, 0.001);
    settings.maxKeepAliveRequests = readInt(config, "http.maxKeepAliveRequests", 100, 0, 1000000);
    settings.shutdownTimeout = readSeconds(config, "http.shutdownTimeout", 30);
    return settings;
}

} // namespace wiretap::config
