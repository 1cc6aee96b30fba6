#pragma once

#include "deploy/DeployReport.h"
#include "metrics/Metrics.h"

namespace wiretap::deploy
{

/// Declares the deploy metrics and records finished deploys in them:
/// wiretap_deploys_total{result}, wiretap_host_deploys_total{host,result},
/// wiretap_container_updates_total{result},
/// wiretap_service_updates_total{result,rolled_back_by},
/// wiretap_deploy_duration_seconds, wiretap_deploys_running, wiretap_deploys_waiting.
class DeployMetrics
{
public:
    static void describe(metrics::Metrics& metrics);
    static void record(metrics::Metrics& metrics, const DeployReport& report);
    /// A recovery report (DeployReport::recovery): its containers in wiretap_container_updates_total
    /// and its services in wiretap_service_updates_total, with the labels a deploy gives them; not
    /// a deploy of its own. The interrupted deploy never finished, so each update it started is
    /// counted once, by whichever ended it.
    static void recordRecovery(metrics::Metrics& metrics, const DeployReport& report);
};

} // namespace wiretap::deploy
