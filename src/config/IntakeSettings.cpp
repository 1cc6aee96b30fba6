#include "config/IntakeSettings.h"

#include "config/ConfigError.h"
#include "config/ServerSettings.h"
#include "events/EventSource.h"

#include <Poco/String.h>

namespace wiretap::config
{

IntakeSettings IntakeSettings::fromConfig(const Poco::Util::AbstractConfiguration& config)
{
    IntakeSettings settings;
    settings.token = Poco::trim(config.getString("wiretap.token", ""));
    settings.allowUnauthenticated = readBool(config, "wiretap.allowUnauthenticated", false);
    settings.apiToken = Poco::trim(config.getString("wiretap.apiToken", ""));
    if (settings.apiToken.empty())
        settings.apiToken = settings.token;
    if (settings.token.empty() && !settings.allowUnauthenticated)
        throw ConfigError("wiretap.token", "no token is set (set TOKEN or wiretap.token; or "
                                           "wiretap.allowUnauthenticated=true to accept anyone)");

    Poco::Util::AbstractConfiguration::Keys sources;
    config.keys("hooks", sources);
    for (const auto& source : sources)
    {
        if (!events::eventSourceFromString(source))
            throw ConfigError("hooks." + source, "'" + source + "' is not a webhook source");
        const std::string key = "hooks." + source + ".token";
        if (config.hasProperty(key))
            settings.sourceTokens[source] = Poco::trim(config.getString(key));
    }

    settings.maxBodyBytes =
        static_cast<std::size_t>(readInt(config, "http.maxBodyBytes", 1024 * 1024, 1024, 64 * 1024 * 1024));
    settings.bodyTimeout = readSeconds(config, "http.bodyTimeout", 10, 0.001);
    settings.rememberedDeliveries =
        static_cast<std::size_t>(readInt(config, "http.rememberedDeliveries", 10000, 0, 10000000));
    return settings;
}

} // namespace wiretap::config
