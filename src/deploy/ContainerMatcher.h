#pragma once

#include "backend/ContainerBackend.h"
#include "deploy/DeploySettings.h"
#include "events/ImageReference.h"

#include <string>
#include <utility>
#include <vector>

namespace wiretap::deploy
{

/// The containers a pushed image concerns, by their configured image
/// (`Config.Image`) normalized like the event's: same registry, repository and
/// tag. Pure: decided from `docker ps`-level facts only. The tasks of Swarm services are never
/// targets: their service is (ServiceMatcher).
class ContainerMatcher
{
public:
    struct Skipped
    {
        backend::ContainerSummary container;
        std::string reason;
    };

    struct Result
    {
        std::vector<backend::ContainerSummary> targets;
        /// Containers on the same repository and tag that are left alone, and why.
        std::vector<Skipped> skipped;
    };

    /// The labels Swarm puts on the containers of a service's tasks.
    static constexpr const char* kSwarmServiceLabel = "com.docker.swarm.service.id";
    static constexpr const char* kSwarmServiceNameLabel = "com.docker.swarm.service.name";
    static constexpr const char* kSwarmTaskLabel = "com.docker.swarm.task.id";

    explicit ContainerMatcher(const DeploySettings& settings) : _settings(settings) {}

    Result match(const events::ImageReference& pushed,
                 const std::vector<backend::ContainerSummary>& containers) const;

    /// Whether a container in `state` counts as running (and is to be left running).
    static bool isRunning(const std::string& state);
    /// Whether Swarm runs the container as a task of a service: wiretap never recreates it.
    static bool isSwarmTask(const backend::ContainerSummary& container);

private:
    const DeploySettings& _settings;
};

} // namespace wiretap::deploy
