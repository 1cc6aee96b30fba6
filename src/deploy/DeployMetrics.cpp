#include "deploy/DeployMetrics.h"

namespace wiretap::deploy
{
namespace
{
void countServices(metrics::Metrics& metrics, const DeployReport& report)
{
    for (const auto& service : report.services)
    {
        metrics::Labels labels = {{"result", toString(service.result)}};
        if (!service.rolledBackBy.empty())
            labels.push_back({"rolled_back_by", service.rolledBackBy});
        metrics.increment("wiretap_service_updates_total", labels);
    }
}
} // namespace

void DeployMetrics::describe(metrics::Metrics& metrics)
{
    using Type = metrics::Metrics::Type;
    metrics.describe("wiretap_deploys_total", Type::Counter, "Finished deploys, by result.");
    metrics.describe("wiretap_host_deploys_total", Type::Counter,
                     "Each docker host's part of a finished deploy, by host and result.");
    metrics.describe("wiretap_container_updates_total", Type::Counter,
                     "Containers a deploy handled, by result.");
    metrics.describe("wiretap_service_updates_total", Type::Counter,
                     "Swarm services a deploy handled, by result and, for rollbacks, by whom.");
    metrics.describe("wiretap_deploy_duration_seconds", Type::Histogram,
                     "Time from the start of a deploy to its end.",
                     {0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600});
    metrics.describe("wiretap_deploys_running", Type::Gauge, "Deploys running now.");
    metrics.describe("wiretap_deploys_waiting", Type::Gauge,
                     "Deploys queued and not started (distinct images).");
}

void DeployMetrics::record(metrics::Metrics& metrics, const DeployReport& report)
{
    metrics.increment("wiretap_deploys_total", {{"result", toString(report.result)}});
    for (const auto& host : report.hosts)
        metrics.increment("wiretap_host_deploys_total",
                          {{"host", host.name}, {"result", toString(host.result)}});
    for (const auto& container : report.containers)
        metrics.increment("wiretap_container_updates_total", {{"result", toString(container.result)}});
    countServices(metrics, report);
    metrics.observe("wiretap_deploy_duration_seconds",
                    static_cast<double>(report.finishedAt - report.startedAt) / 1e6);
}

void DeployMetrics::recordRecovery(metrics::Metrics& metrics, const DeployReport& report)
{
    for (const auto& container : report.containers)
        metrics.increment("wiretap_container_updates_total", {{"result", toString(container.result)}});
    countServices(metrics, report);
}

} // namespace wiretap::deploy
