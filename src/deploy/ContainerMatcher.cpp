#include "deploy/ContainerMatcher.h"

#include "deploy/EnableLabel.h"

namespace wiretap::deploy
{

bool ContainerMatcher::isRunning(const std::string& state)
{
    return state == "running" || state == "restarting";
}

bool ContainerMatcher::isSwarmTask(const backend::ContainerSummary& container)
{
    return container.labels.count(kSwarmServiceLabel) || container.labels.count(kSwarmTaskLabel);
}

ContainerMatcher::Result
ContainerMatcher::match(const events::ImageReference& pushed,
                        const std::vector<backend::ContainerSummary>& containers) const
{
    Result result;
    for (const auto& container : containers)
    {
        // An image id, or anything else that is no reference, names no tag to follow.
        const auto configured = events::ImageReference::tryParse(container.image);
        if (isSwarmTask(container))
        {
            // Swarm owns it (and would replace it): the service is updated instead. Its image
            // is usually pinned by digest, so the repository alone says whether it concerns us.
            if (configured && configured->repository() == pushed.repository())
            {
                const auto service = container.labels.find(kSwarmServiceNameLabel);
                result.skipped.push_back(
                    {container, "a task of Swarm service " +
                                    (service != container.labels.end() ? service->second : "(unnamed)") +
                                    ": updated through the service"});
            }
            continue;
        }
        if (!configured || configured->tag().empty() || !configured->sameRepositoryAndTag(pushed))
        {
            if (configured && configured->tag().empty() && configured->repository() == pushed.repository())
                result.skipped.push_back({container, "pinned by digest (" + container.image + ")"});
            continue;
        }
        if (!configured->digest().empty())
        {
            result.skipped.push_back({container, "pinned by digest (" + container.image + ")"});
            continue;
        }

        const std::string labelReason = EnableLabel::skipReason(container.labels, _settings.labelEnable);
        if (!labelReason.empty())
        {
            result.skipped.push_back({container, labelReason});
            continue;
        }
        if (container.state == "paused")
        {
            result.skipped.push_back({container, "paused"});
            continue;
        }
        if (!isRunning(container.state) && !_settings.includeStopped)
        {
            result.skipped.push_back(
                {container, "not running (" + container.state + "; deploy.includeStopped is off)"});
            continue;
        }
        result.targets.push_back(container);
    }
    return result;
}

} // namespace wiretap::deploy
