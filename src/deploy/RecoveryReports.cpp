#include "deploy/RecoveryReports.h"

#include "events/ImageReference.h"

#include <algorithm>

namespace wiretap::deploy
{
namespace
{
ContainerReport::Result resultOf(const RecoveryAction& action)
{
    if (!action.resolved)
        return ContainerReport::Result::Failed;
    if (action.outcome == CrashRecovery::kRolledBack)
        return ContainerReport::Result::RolledBack;
    if (action.outcome == CrashRecovery::kCompleted)
        return ContainerReport::Result::Updated;
    return ContainerReport::Result::Skipped; // gone, or left alone
}
} // namespace

DeployReport::Result recoveryResult(const DeployReport& report)
{
    const auto anyContainer = [&](ContainerReport::Result result)
    {
        return std::any_of(report.containers.begin(), report.containers.end(),
                           [&](const ContainerReport& c) { return c.result == result; });
    };
    const auto anyService = [&](ServiceReport::Result result)
    {
        return std::any_of(report.services.begin(), report.services.end(),
                           [&](const ServiceReport& s) { return s.result == result; });
    };
    if (anyContainer(ContainerReport::Result::Failed) || anyService(ServiceReport::Result::Failed))
        return DeployReport::Result::Failed;
    if (anyContainer(ContainerReport::Result::RolledBack) || anyService(ServiceReport::Result::RolledBack))
        return DeployReport::Result::RolledBack;
    if (anyContainer(ContainerReport::Result::Updated) || anyService(ServiceReport::Result::Updated))
        return DeployReport::Result::Updated;
    return DeployReport::Result::NoMatch;
}

std::vector<DeployReport> recoveryReports(const std::vector<RecoveryAction>& containers,
                                          std::vector<DeployReport> services, const std::string& host,
                                          Poco::Timestamp startedAt)
{
    std::vector<DeployReport> reports = std::move(services);
    const Poco::Timestamp finishedAt;
    for (const auto& action : containers)
    {
        auto report = std::find_if(reports.begin(), reports.end(),
                                   [&](const DeployReport& r) { return r.id == action.deployId; });
        if (report == reports.end())
        {
            report = reports.insert(reports.end(), DeployReport());
            report->id = action.deployId;
            report->recovery = true;
            const auto reference = events::ImageReference::tryParse(action.image);
            report->image = reference ? reference->normalized() : action.image;
            report->startedAt = startedAt;
            report->finishedAt = finishedAt;
        }
        report->startedAt = std::min(report->startedAt, startedAt);
        ContainerReport container;
        container.name = action.container;
        container.oldId = action.oldId;
        container.result = resultOf(action);
        container.reason =
            action.resolved ? action.detail : "unresolved, retried at the next start: " + action.detail;
        report->containers.push_back(container);
    }
    for (auto& report : reports)
    {
        for (auto& container : report.containers)
            container.host = host;
        for (auto& service : report.services)
            service.host = host;
        report.result = recoveryResult(report);
        report.hosts.push_back({host, report.result, "", "", 0});
    }
    return reports;
}

} // namespace wiretap::deploy
