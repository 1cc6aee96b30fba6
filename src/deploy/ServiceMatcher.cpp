#include "deploy/ServiceMatcher.h"

#include "deploy/EnableLabel.h"

namespace wiretap::deploy
{

ServiceMatcher::Result ServiceMatcher::match(const events::ImageReference& pushed,
                                             const std::vector<backend::ServiceSummary>& services) const
{
    Result result;
    for (const auto& service : services)
    {
        const auto configured = events::ImageReference::tryParse(service.image);
        if (!configured || configured->repository() != pushed.repository())
            continue;
        if (configured->tag().empty())
        {
            result.skipped.push_back({service, "pinned by digest, no tag to follow (" + service.image + ")"});
            continue;
        }
        if (!configured->sameRepositoryAndTag(pushed))
            continue;
        // The service's labels (docker service create --label, a stack's deploy.labels) decide;
        // its containers' (--container-label, a stack's labels) count when it has none.
        auto labels = service.containerLabels;
        for (const auto& [key, value] : service.labels)
            labels[key] = value;
        const std::string reason = EnableLabel::skipReason(labels, _settings.labelEnable);
        if (!reason.empty())
        {
            result.skipped.push_back({service, reason});
            continue;
        }
        result.targets.push_back(service);
    }
    return result;
}

} // namespace wiretap::deploy
