#pragma once

#include <Poco/Timespan.h>
#include <Poco/Util/AbstractConfiguration.h>

#include <string>

namespace wiretap::config
{

/// The HTTP listener's settings (`http.*`), validated.
struct ServerSettings
{
    std::string address = "0.0.0.0";
    unsigned short port = 8000; ///< the original wiretap's port
    int maxThreads = 256;       ///< POCO keeps a thread per keep-alive connection: 200 clients and probes
    int maxQueued = 128;        ///< accepted connections waiting for a thread
    Poco::Timespan requestTimeout = Poco::Timespan(10, 0);
    Poco::Timespan headerTimeout = Poco::Timespan(10, 0); ///< for a request's whole head: slowloris
    Poco::Timespan keepAliveTimeout = Poco::Timespan(5, 0);
    int maxKeepAliveRequests = 100;
    Poco::Timespan shutdownTimeout = Poco::Timespan(30, 0);

    /// Reads `http.*` from the layered configuration; throws ConfigError naming the key.
    static ServerSettings fromConfig(const Poco::Util::AbstractConfiguration& config);
};

/// Typed readers that throw ConfigError with the key and the value's problem.
int readInt(const Poco::Util::AbstractConfiguration& config, const std::string& key, int defaultValue,
            int min, int max);
Poco::Timespan readSeconds(const Poco::Util::AbstractConfiguration& config, const std::string& key,
                           double defaultSeconds, double minSeconds = 0.0);
bool readBool(const Poco::Util::AbstractConfiguration& config, const std::string& key, bool defaultValue);

} // namespace wiretap::config
