#include "app/StartupSettings.h"

#include "app/KnownSettings.h"
#include "config/ConfigError.h"

#include <Poco/String.h>

namespace wiretap::app
{

StartupSettings StartupSettings::read(const Poco::Util::AbstractConfiguration& config,
                                      const std::map<std::string, std::string>& env,
                                      const std::set<std::string>& commandLineKeys)
{
    StartupSettings settings;
    settings.server = config::ServerSettings::fromConfig(config);
    settings.intake = config::IntakeSettings::fromConfig(config);
    settings.deploy = deploy::DeploySettings::fromConfig(config);
    settings.notify = notify::CompletionNotifier::Settings::fromConfig(config);
    settings.docker = config::DockerHostList::fromConfig(config, env, commandLineKeys);
    settings.stateDir = stateDirectory(config, env);
    return settings;
}

std::string StartupSettings::stateDirectory(const Poco::Util::AbstractConfiguration& config,
                                            const std::map<std::string, std::string>& env)
{
    const std::string stateDir = Poco::trim(config.getString("state.dir", defaultStateDir(env)));
    if (stateDir.empty())
        throw config::ConfigError("state.dir", "must name a folder");
    return stateDir;
}

} // namespace wiretap::app
