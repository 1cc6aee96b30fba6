#pragma once

#include "config/DockerHostList.h"
#include "config/IntakeSettings.h"
#include "config/ServerSettings.h"
#include "deploy/DeploySettings.h"
#include "notify/CompletionNotifier.h"

#include <Poco/Util/AbstractConfiguration.h>

#include <map>
#include <set>
#include <string>

namespace wiretap::app
{

/// Every setting the server needs, read and validated before it binds its port or
/// asks the engine anything, so a bad value is exit status 78 even without docker.
struct StartupSettings
{
    config::ServerSettings server;
    config::IntakeSettings intake;
    deploy::DeploySettings deploy;
    notify::CompletionNotifier::Settings notify;
    config::DockerHostList docker;
    std::string stateDir;

    /// Throws config::ConfigError naming the first bad key. `commandLineKeys` outrank
    /// the environment (see DockerSettings).
    static StartupSettings read(const Poco::Util::AbstractConfiguration& config,
                                const std::map<std::string, std::string>& env,
                                const std::set<std::string>& commandLineKeys);

    /// state.dir, else systemd's $STATE_DIRECTORY, else /var/lib/wiretap; throws
    /// config::ConfigError when it is empty.
    static std::string stateDirectory(const Poco::Util::AbstractConfiguration& config,
                                      const std::map<std::string, std::string>& env);
};

} // namespace wiretap::app
