#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>

#include <map>
#include <string>

namespace wiretap::config
{

/// The configuration keys the original wiretap's environment variables set:
/// TOKEN -> wiretap.token. Added between the config file and the command
/// line, so the environment overrides the file and `--set` overrides both.
/// (DOCKER_* variables are read by DockerSettings, as the docker CLI reads them.)
Poco::AutoPtr<Poco::Util::MapConfiguration> environmentLayer(const std::map<std::string, std::string>& env);

/// Where the layer goes in Poco's LayeredConfiguration: after the command
/// line (PRIO_APPLICATION, -100), before the file (PRIO_DEFAULT, 0).
constexpr int kEnvironmentPriority = -50;

} // namespace wiretap::config
