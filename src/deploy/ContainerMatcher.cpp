#include "deploy/ContainerMatcher.h"

#include <Poco/String.h>

namespace wiretap::deploy
{

bool ContainerMatcher::isRunning(const std::string& state)
{
    return state == "running" || state == "restarting";
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

        const auto label = container.labels.find(kEnableLabel);
        const std::string enable =
            label == container.labels.end() ? "" : Poco::toLower(Poco::trim(label->second));
        if (enable == "false")
        {
            result.skipped.push_back({container, "label wiretap.enable=false"});
            continue;
        }
        if (_settings.labelEnable && enable != "true")
        {
            result.skipped.push_back({container, "no label wiretap.enable=true (deploy.labelEnable is on)"});
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
