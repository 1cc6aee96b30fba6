#pragma once

#include "backend/ContainerBackend.h"
#include "deploy/DeployJournal.h"
#include "deploy/DeployReport.h"
#include "deploy/DeploySettings.h"

#include <Poco/Logger.h>

#include <optional>
#include <string>
#include <vector>

namespace wiretap::deploy
{

/// Finishes the Swarm service updates a crash interrupted: every open service entry of the
/// journal (of one docker host, with `host`) is looked up on the engine and ended as the
/// deploy would have ended it:
///
///   on the new image, updating       → followed until deploy.serviceTimeout, counted from when
///                                      the update was asked for, has passed; then as a deploy does
///   on the new image, paused         → `docker service rollback` (RolledBack by "wiretap")
///   on the new image, completed      → Updated
///   on the old image, rollback_*     → Swarm's (or, after step "rollback", wiretap's) rollback:
///                                      followed, never rolled back again
///   on the old image, same version   → the update never reached Swarm: Skipped
///   on another image, or gone        → someone else changed it: Skipped, nothing done
///
/// Services the journal does not name are never touched. An entry whose service cannot be
/// inspected (or whose outcome stays unknown) stays open for the next start; JournalError
/// propagates.
class ServiceRecovery
{
public:
    static constexpr const char* kUpdated = "recovered: updated";
    static constexpr const char* kRolledBackByWiretap = "recovered: rolled back by wiretap";
    static constexpr const char* kRolledBackBySwarm = "recovered: rolled back by swarm";
    static constexpr const char* kFailed = "recovered: failed";
    static constexpr const char* kNotStarted = "recovered: not started";
    static constexpr const char* kGone = "recovered: service gone";
    static constexpr const char* kLeftAlone = "recovered: left alone";

    ServiceRecovery(backend::ContainerBackend& backend, DeployJournal& journal,
                    const DeploySettings& settings, std::optional<std::string> host = std::nullopt);

    /// One report per interrupted deploy (its id, `recovery` set) with what was done to each of
    /// its services whose entry was closed; none when nothing was open.
    std::vector<DeployReport> run();

    /// Whether two service images name the same image: the same digest pin, or the same text. Pure.
    static bool sameImage(const std::string& a, const std::string& b);

private:
    /// The entry's service report with its journal result; nullopt when it stays open.
    std::optional<ServiceReport> recover(const JournaledServiceUpdate& entry);
    /// The service's spec now; nullopt when it is gone. Throws BackendError.
    std::optional<backend::ServiceSummary> inspect(const JournaledServiceUpdate& entry);
    /// On its previous image: whose rollback it was, or whether the update never started.
    std::optional<ServiceReport> recoverOnOldImage(const JournaledServiceUpdate& entry,
                                                   const backend::ServiceSummary& now, ServiceReport report);
    void close(const JournaledServiceUpdate& entry, ServiceReport& report, const std::string& outcome);

    backend::ContainerBackend& _backend;
    DeployJournal& _journal;
    const DeploySettings& _settings;
    std::optional<std::string> _host;
    Poco::Logger& _logger;
};

} // namespace wiretap::deploy
