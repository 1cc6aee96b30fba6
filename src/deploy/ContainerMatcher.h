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
/// tag. Pure: decided from `docker ps`-level facts only.
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

    static constexpr const char* kEnableLabel = "wiretap.enable";

    explicit ContainerMatcher(const DeploySettings& settings) : _settings(settings) {}

    Result match(const events::ImageReference& pushed,
                 const std::vector<backend::ContainerSummary>& containers) const;

    /// Whether a container in `state` counts as running (and is to be left running).
    static bool isRunning(const std::string& state);

private:
    const DeploySettings& _settings;
};

} // namespace wiretap::deploy
