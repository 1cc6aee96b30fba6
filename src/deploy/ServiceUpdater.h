#pragma once

#include "backend/ContainerBackend.h"
#include "deploy/DeployReport.h"
#include "deploy/DeploySettings.h"

#include <Poco/Logger.h>

#include <string>

namespace wiretap::deploy
{

/// One Swarm service's update: ask Swarm for the new image (it rolls the service out as its
/// own update_config says), wait until the update completes or fails, and roll back a failed
/// update that Swarm's failure action did not already roll back:
///
///   completed                      → Updated
///   rollback_started → _completed  → RolledBack by "swarm" (failure action rollback)
///   rollback_paused                → Failed (Swarm's rollback stuck)
///   paused, or deploy.serviceTimeout → `docker service rollback`, then
///                                    rollback_completed → RolledBack by "wiretap", else Failed
///
/// Until Swarm's updater picks the update up, the service shows no UpdateStatus or still the
/// one of its previous update: only a status with another StartedAt than the one before the
/// update counts. Never throws: every failure is in the report.
class ServiceUpdater
{
public:
    /// Where an update (or rollback) stands, from its UpdateStatus.
    enum class Phase
    {
        NotStarted,    ///< no status yet, or still the previous update's
        Updating,      ///< updating
        Completed,     ///< completed
        Paused,        ///< paused: an update task failed (failure action pause)
        RollingBack,   ///< rollback_started
        RolledBack,    ///< rollback_completed
        RollbackPaused ///< rollback_paused
    };

    ServiceUpdater(backend::ContainerBackend& backend, const DeploySettings& settings, Poco::Logger& logger);

    /// Updates `service` to `image` (repo:tag@sha256:...).
    ServiceReport update(const backend::ServiceSummary& service, const std::string& image);

    /// The phase `status` shows; `before` is the StartedAt of the status the service had before
    /// the update or rollback was asked for ("" when it had none). Pure.
    static Phase phaseOf(const backend::ServiceUpdateStatus& status, const std::string& before);

private:
    struct Outcome
    {
        Phase phase = Phase::NotStarted;
        bool timedOut = false;
        backend::ServiceUpdateStatus last; ///< the last status read
        std::string swarmMessage;          ///< why Swarm began rolling back, when it did
    };

    /// Polls the service until its update or rollback ends (completed, paused or rolled back,
    /// or their rollback paused) or deploy.serviceTimeout passes.
    Outcome await(const backend::ServiceSummary& service, const std::string& before);
    /// Asks Swarm to roll back a failed update and waits for it; fills in `report`.
    void rollback(const backend::ServiceSummary& service, const Outcome& failed, ServiceReport& report);

    backend::ContainerBackend& _backend;
    const DeploySettings& _settings;
    Poco::Logger& _logger;
};

} // namespace wiretap::deploy
