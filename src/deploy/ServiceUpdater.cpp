#include "deploy/ServiceUpdater.h"

#include "backend/DockerError.h"
#include "log/LogFields.h"

#include <Poco/Thread.h>

namespace wiretap::deploy
{
namespace
{
/// The report of `service`'s update to `image`, before its outcome.
ServiceReport reportOf(const backend::ServiceSummary& service, const std::string& image,
                       Poco::Timestamp startedAt)
{
    ServiceReport report;
    report.name = service.name;
    report.id = service.id;
    report.oldImage = service.image;
    report.newImage = image;
    report.startedAt = startedAt;
    return report;
}
} // namespace

std::string ServiceUpdater::stateOf(const backend::ServiceUpdateStatus& status)
{
    return status.state.empty() ? "none" : status.state;
}

ServiceUpdater::ServiceUpdater(backend::ContainerBackend& backend, const DeploySettings& settings,
                               Poco::Logger& logger)
    : _backend(backend), _settings(settings), _logger(logger)
{
}

ServiceUpdater::Phase ServiceUpdater::phaseOf(const backend::ServiceUpdateStatus& status,
                                              const std::string& before)
{
    if (status.state.empty() || (!before.empty() && status.startedAt == before))
        return Phase::NotStarted;
    if (status.state == "completed")
        return Phase::Completed;
    if (status.state == "paused")
        return Phase::Paused;
    if (status.state == "rollback_started")
        return Phase::RollingBack;
    if (status.state == "rollback_completed")
        return Phase::RolledBack;
    if (status.state == "rollback_paused")
        return Phase::RollbackPaused;
    return Phase::Updating; // updating, or a state newer engines may add: keep waiting
}

ServiceReport ServiceUpdater::update(const backend::ServiceSummary& service, const std::string& image,
                                     const Hooks& hooks)
{
    ServiceReport report = reportOf(service, image, Poco::Timestamp());
    log::info(_logger, "Updating service", {{"Service", service.name}, {"Image", image}});
    try
    {
        if (hooks.before)
            hooks.before("update");
        _backend.updateServiceImage(service.id, image);
    }
    catch (const std::exception& exc)
    {
        report.result = ServiceReport::Result::Failed;
        report.reason = exc.what();
        log::error(_logger, "Service update failed", {{"Service", service.name}, {"Error", exc.what()}});
        // Refused (or never journaled, so never asked for): nothing changed. A call that timed
        // out may have reached Swarm: left to recovery.
        const auto* docker = dynamic_cast<const backend::DockerError*>(&exc);
        if (hooks.finished && !(docker && docker->timedOut()))
            hooks.finished(report);
        report.micros = Poco::Timestamp() - report.startedAt;
        return report;
    }
    conclude(service, service.update.startedAt,
             report.startedAt + _settings.serviceTimeout.totalMicroseconds(), report, hooks);
    report.micros = Poco::Timestamp() - report.startedAt;
    return report;
}

ServiceReport ServiceUpdater::follow(const backend::ServiceSummary& service, const std::string& image,
                                     const std::string& before, Poco::Timestamp startedAt, const Hooks& hooks)
{
    ServiceReport report = reportOf(service, image, startedAt);
    const Poco::Timestamp resumed;
    conclude(service, before, startedAt + _settings.serviceTimeout.totalMicroseconds(), report, hooks);
    report.micros = Poco::Timestamp() - resumed;
    return report;
}

void ServiceUpdater::conclude(const backend::ServiceSummary& service, const std::string& before,
                              Poco::Timestamp deadline, ServiceReport& report, const Hooks& hooks)
{
    try
    {
        const Outcome outcome = await(service, before, deadline);
        if (outcome.phase == Phase::Completed)
        {
            report.result = ServiceReport::Result::Updated;
            if (service.failureAction == "continue")
                report.reason = "Swarm completed the update; with update_config failure action continue it "
                                "does so even when new tasks fail";
            log::info(_logger, "Service updated", {{"Service", service.name}, {"Image", report.newImage}});
        }
        else if (outcome.phase == Phase::RolledBack)
        {
            report.result = ServiceReport::Result::RolledBack;
            report.rolledBackBy = "swarm";
            report.reason = "the update failed and Swarm's failure action rolled it back" +
                            (outcome.swarmMessage.empty() ? "" : ": " + outcome.swarmMessage);
            log::warning(_logger, "Service rolled back",
                         {{"Service", service.name}, {"By", "swarm"}, {"Reason", report.reason}});
        }
        else if (outcome.phase == Phase::RollbackPaused || outcome.phase == Phase::RollingBack)
        {
            // Swarm is rolling back on its own: a rollback from here would return to the new spec.
            report.result = ServiceReport::Result::Failed;
            report.reason = outcome.phase == Phase::RollbackPaused
                                ? "the update failed and Swarm's rollback paused: " + outcome.last.message
                                : "the update failed and Swarm's rollback did not complete within " +
                                      std::to_string(_settings.serviceTimeout.totalSeconds()) + "s";
            log::error(_logger, "Service rollback failed",
                       {{"Service", service.name}, {"By", "swarm"}, {"Error", report.reason}});
        }
        else
            rollback(service, outcome, report, hooks);
    }
    catch (const std::exception& exc)
    {
        report.result = ServiceReport::Result::Failed;
        report.reason += (report.reason.empty() ? "" : "; ") + std::string(exc.what());
        log::error(_logger, "Service update failed", {{"Service", service.name}, {"Error", exc.what()}});
        return; // where the update stands is not known: not finished
    }
    if (hooks.finished)
        hooks.finished(report);
}

ServiceUpdater::Outcome ServiceUpdater::await(const backend::ServiceSummary& service,
                                              const std::string& before, Poco::Timestamp deadline)
{
    Outcome outcome;
    for (;;)
    {
        const auto now = _backend.inspectService(service.id);
        outcome.last = now.update;
        outcome.phase = phaseOf(now.update, before);
        switch (outcome.phase)
        {
        case Phase::Completed:
        case Phase::Paused:
        case Phase::RolledBack:
        case Phase::RollbackPaused:
            return outcome;
        case Phase::RollingBack:
            if (outcome.swarmMessage.empty())
                outcome.swarmMessage = now.update.message;
            break;
        case Phase::NotStarted:
            // With no replica there is no task to update, and Swarm never reports a status.
            if (now.replicas == 0)
            {
                outcome.phase = Phase::Completed;
                return outcome;
            }
            break;
        case Phase::Updating:
            break;
        }
        if (Poco::Timestamp() >= deadline)
        {
            outcome.timedOut = true;
            return outcome;
        }
        Poco::Thread::sleep(static_cast<long>(_settings.servicePollInterval.totalMilliseconds()));
    }
}

void ServiceUpdater::rollback(const backend::ServiceSummary& service, const Outcome& failed,
                              ServiceReport& report, const Hooks& hooks)
{
    report.reason = (report.reason.empty() ? "" : report.reason + "; ") +
                    (failed.timedOut ? "the update did not converge within " +
                                           std::to_string(_settings.serviceTimeout.totalSeconds()) +
                                           "s (last state: " + stateOf(failed.last) + ")"
                                     : "Swarm paused the update: " + failed.last.message);
    log::warning(_logger, "Service update failed, rolling back",
                 {{"Service", service.name}, {"Reason", report.reason}});
    if (hooks.before)
        hooks.before("rollback"); // a journal that cannot record it: the update's end is not known
    Outcome outcome;
    try
    {
        _backend.rollbackService(service.id);
        outcome = await(service, failed.last.startedAt,
                        Poco::Timestamp() + _settings.serviceTimeout.totalMicroseconds());
    }
    catch (const std::exception& exc)
    {
        throw backend::BackendError(std::string("rollback failed: ") + exc.what());
    }
    if (outcome.phase == Phase::RolledBack)
    {
        report.result = ServiceReport::Result::RolledBack;
        report.rolledBackBy = "wiretap";
        log::warning(_logger, "Service rolled back",
                     {{"Service", service.name}, {"By", "wiretap"}, {"Reason", report.reason}});
        return;
    }
    report.result = ServiceReport::Result::Failed;
    if (outcome.timedOut)
        report.reason += "; the rollback did not complete within " +
                         std::to_string(_settings.serviceTimeout.totalSeconds()) +
                         "s (last state: " + stateOf(outcome.last) + ")";
    else
        report.reason += "; the rollback ended " + stateOf(outcome.last) + ": " + outcome.last.message;
    log::error(_logger, "Service rollback failed", {{"Service", service.name}, {"Error", report.reason}});
}

} // namespace wiretap::deploy
