#include "deploy/DeploySettings.h"

#include "config/ConfigError.h"
#include "config/ServerSettings.h"

#include <Poco/String.h>

namespace wiretap::deploy
{

DeploySettings DeploySettings::fromConfig(const Poco::Util::AbstractConfiguration& config)
{
    using config::readBool;
    using config::readInt;
    using config::readSeconds;

    DeploySettings settings;
    settings.labelEnable = readBool(config, "deploy.labelEnable", settings.labelEnable);
    settings.includeStopped = readBool(config, "deploy.includeStopped", settings.includeStopped);
    settings.stopTimeoutSeconds =
        readInt(config, "deploy.stopTimeout", settings.stopTimeoutSeconds, 0, 86400);
    settings.minUptime = readSeconds(config, "deploy.minUptime", 5);
    settings.healthTimeout = readSeconds(config, "deploy.healthTimeout", 60, 0.001);

    const std::string strategy = Poco::toLower(Poco::trim(config.getString("deploy.strategy", "rolling")));
    if (strategy == "rolling")
        settings.strategy = Strategy::Rolling;
    else if (strategy == "parallel")
        settings.strategy = Strategy::Parallel;
    else
        throw config::ConfigError("deploy.strategy",
                                  "'" + strategy + "' is not a strategy (rolling, parallel)");
    settings.parallelism = static_cast<std::size_t>(readInt(config, "deploy.parallelism", 4, 1, 256));
    if (settings.strategy == Strategy::Rolling)
        settings.parallelism = 1;

    const std::string onFailure = Poco::toLower(Poco::trim(config.getString("deploy.onFailure", "stop")));
    if (onFailure != "stop" && onFailure != "continue")
        throw config::ConfigError("deploy.onFailure", "'" + onFailure + "' is not stop or continue");
    settings.stopOnFailure = onFailure == "stop";

    settings.cleanup = readBool(config, "deploy.cleanup", settings.cleanup);
    settings.maxConcurrent = static_cast<std::size_t>(readInt(config, "deploy.maxConcurrent", 2, 1, 64));
    settings.maxWaiting = static_cast<std::size_t>(readInt(config, "deploy.maxWaiting", 1000, 1, 1000000));
    settings.dryRun = readBool(config, "deploy.dryRun", settings.dryRun);
    settings.serviceTimeout = readSeconds(config, "deploy.serviceTimeout", 300, 1);
    return settings;
}

} // namespace wiretap::deploy
