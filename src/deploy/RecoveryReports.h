#pragma once

#include "deploy/CrashRecovery.h"
#include "deploy/DeployReport.h"

#include <Poco/Timestamp.h>

#include <string>
#include <vector>

namespace wiretap::deploy
{

/// What start-up recovery did, as deploy reports for /v1/deployments: one per interrupted
/// deploy, with `recovery` set, the containers CrashRecovery put right (`containers`) and the
/// services ServiceRecovery finished (`services`, already one report per deploy), all tagged
/// with `host` ("" for the single implicit host). A container's result: rolled_back, updated
/// (the new one stayed), skipped (no container under the name any more, or someone else's
/// holds it: left alone), failed (unresolved: retried at the next start). The deploy's result:
/// failed, else rolled_back, else updated, else no_match.
/// The result of a recovery report: failed when any container or service failed, else
/// rolled_back when any was rolled back, else updated when any was, else no_match (nothing done).
DeployReport::Result recoveryResult(const DeployReport& report);

/// `startedAt`: when the recovery began.
std::vector<DeployReport> recoveryReports(const std::vector<RecoveryAction>& containers,
                                          std::vector<DeployReport> services, const std::string& host,
                                          Poco::Timestamp startedAt);

} // namespace wiretap::deploy
