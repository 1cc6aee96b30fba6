#pragma once

#include "backend/ContainerBackend.h"
#include "deploy/DeployReport.h"
#include "deploy/DeploySettings.h"

#include <Poco/Logger.h>

#include <functional>
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
/// update counts. Never throws: every failure is in the report. Several may run at once, each
/// on its own service.
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

    /// What a journal (or a test) sees of one update.
    struct Hooks
    {
        /// Called before Swarm is asked for the update ("update") and for a rollback
        /// ("rollback"); a throw stops it: that request is not made.
        std::function<void(const std::string& step)> before;
        /// Called once the outcome is known from Swarm, or Swarm refused the update; not when a
        /// docker call failed while waiting (the service may still be updating).
        std::function<void(const ServiceReport& report)> finished;
    };

    /// Where a wait for an update or rollback ended.
    struct Outcome
    {
        Phase phase = Phase::NotStarted;
        bool timedOut = false;
        backend::ServiceUpdateStatus last; ///< the last status read
        std::string swarmMessage;          ///< why Swarm began rolling back, when it did
    };

    ServiceUpdater(backend::ContainerBackend& backend, const DeploySettings& settings, Poco::Logger& logger);

    /// Updates `service` to `image` (repo:tag@sha256:...).
    ServiceReport update(const backend::ServiceSummary& service, const std::string& image,
                         const Hooks& hooks = {});
    /// Follows an update of `service` (its spec before the update) to `image` that Swarm was
    /// asked for at `startedAt`, from status `before` on, until startedAt + deploy.serviceTimeout,
    /// and ends it as update() does: a paused or late update is rolled back. Crash recovery.
    ServiceReport follow(const backend::ServiceSummary& service, const std::string& image,
                         const std::string& before, Poco::Timestamp startedAt, const Hooks& hooks = {});
    /// Polls the service until its update or rollback ends (completed, paused or rolled back,
    /// or their rollback paused) or `deadline` passes. Throws BackendError.
    Outcome await(const backend::ServiceSummary& service, const std::string& before,
                  Poco::Timestamp deadline);

    /// The phase `status` shows; `before` is the StartedAt of the status the service had before
    /// the update or rollback was asked for ("" when it had none). Pure.
    static Phase phaseOf(const backend::ServiceUpdateStatus& status, const std::string& before);
    /// How an update's status is shown in reasons ("none" when there is none). Pure.
    static std::string stateOf(const backend::ServiceUpdateStatus& status);

private:
    /// Waits for the update asked for and fills in `report`.
    void conclude(const backend::ServiceSummary& service, const std::string& before, Poco::Timestamp deadline,
                  ServiceReport& report, const Hooks& hooks);
    /// Asks Swarm to roll back a failed update and waits for it; fills in `report`.
    void rollback(const backend::ServiceSummary& service, const Outcome& failed, ServiceReport& report,
                  const Hooks& hooks);

    backend::ContainerBackend& _backend;
    const DeploySettings& _settings;
    Poco::Logger& _logger;
};

} // namespace wiretap::deploy
