#include "deploy/ServiceRecovery.h"

#include "backend/BackendError.h"
#include "deploy/JournalError.h"
#include "deploy/RecoveryReports.h"
#include "deploy/ServiceRollout.h"
#include "deploy/ServiceUpdater.h"
#include "events/ImageReference.h"
#include "log/LogFields.h"

#include <algorithm>

namespace wiretap::deploy
{
namespace
{
/// The report of one interrupted deploy, as far as recovery closed its services.
DeployReport reportOf(const JournaledServiceUpdate& entry)
{
    DeployReport report;
    report.id = entry.deployId;
    report.recovery = true;
    const auto reference = events::ImageReference::tryParse(entry.image.substr(0, entry.image.find('@')));
    report.image = reference ? reference->normalized() : entry.image;
    report.digest = ServiceRollout::pinOf(entry.image);
    return report;
}
} // namespace

ServiceRecovery::ServiceRecovery(backend::ContainerBackend& backend, DeployJournal& journal,
                                 const DeploySettings& settings, std::optional<std::string> host)
    : _backend(backend), _journal(journal), _settings(settings), _host(std::move(host)),
      _logger(Poco::Logger::get("wiretap.deploy"))
{
}

bool ServiceRecovery::sameImage(const std::string& a, const std::string& b)
{
    const std::string pin = ServiceRollout::pinOf(a);
    return a == b || (!pin.empty() && pin == ServiceRollout::pinOf(b));
}

std::vector<DeployReport> ServiceRecovery::run()
{
    const Poco::Timestamp startedAt;
    std::vector<DeployReport> reports;
    for (const auto& entry : _host ? _journal.unfinishedServices(*_host) : _journal.unfinishedServices())
    {
        log::info(_logger, "Recovering interrupted service update",
                  {{"Deploy", entry.deployId},
                   {"Service", entry.serviceName},
                   {"Step", entry.step},
                   {"Image", entry.image}});
        std::optional<ServiceReport> service;
        try
        {
            service = recover(entry);
        }
        catch (const JournalError&)
        {
            throw;
        }
        catch (const std::exception& exc)
        {
            log::error(_logger, "Service recovery failed; retried at the next start",
                       {{"Service", entry.serviceName}, {"Deploy", entry.deployId}, {"Error", exc.what()}});
        }
        if (!service)
            continue;
        auto report = std::find_if(reports.begin(), reports.end(),
                                   [&](const DeployReport& r) { return r.id == entry.deployId; });
        if (report == reports.end())
            report = reports.insert(reports.end(), reportOf(entry));
        report->services.push_back(*service);
    }
    for (auto& report : reports)
    {
        report.startedAt = startedAt;
        report.finishedAt = Poco::Timestamp();
        report.result = recoveryResult(report);
    }
    return reports;
}

std::optional<backend::ServiceSummary> ServiceRecovery::inspect(const JournaledServiceUpdate& entry)
{
    try
    {
        return _backend.inspectService(entry.serviceId);
    }
    catch (const std::exception&)
    {
        // Gone, or the engine did not answer: only the listing tells them apart.
        const auto all = _backend.listServices();
        if (std::none_of(all.begin(), all.end(),
                         [&](const backend::ServiceSummary& s) { return s.id == entry.serviceId; }))
            return std::nullopt;
        throw;
    }
}

std::optional<ServiceReport> ServiceRecovery::recover(const JournaledServiceUpdate& entry)
{
    ServiceReport report;
    report.name = entry.serviceName;
    report.id = entry.serviceId;
    report.oldImage = entry.oldImage;
    report.newImage = entry.image;
    report.startedAt = entry.startedAt;
    report.result = ServiceReport::Result::Skipped;
    const auto now = inspect(entry);
    if (!now)
    {
        report.reason = "the service is gone; nothing to do";
        close(entry, report, kGone);
        return report;
    }
    if (sameImage(now->image, entry.oldImage))
        return recoverOnOldImage(entry, *now, report);
    if (!sameImage(now->image, entry.image))
    {
        report.reason = "the service is on " + now->image + ", not the image wiretap asked for; left alone";
        close(entry, report, kLeftAlone);
        return report;
    }

    // The update is Swarm's: followed, and ended as the deploy would have ended it.
    bool finished = false;
    ServiceUpdater::Hooks hooks;
    hooks.before = [&](const std::string& step) { _journal.stepService(entry.key, step); };
    hooks.finished = [&](const ServiceReport&) { finished = true; };
    auto before = *now;
    before.image = entry.oldImage;
    auto followed = ServiceUpdater(_backend, _settings, _logger)
                        .follow(before, entry.image, entry.oldStatusStart, entry.startedAt, hooks);
    if (!finished)
        throw backend::BackendError(followed.reason);
    followed.reason = "interrupted by a restart, then " +
                      (followed.reason.empty() ? toString(followed.result) : followed.reason);
    const std::string outcome = followed.result == ServiceReport::Result::Updated  ? kUpdated
                                : followed.result == ServiceReport::Result::Failed ? kFailed
                                : followed.rolledBackBy == "wiretap"               ? kRolledBackByWiretap
                                                                                   : kRolledBackBySwarm;
    close(entry, followed, outcome);
    return followed;
}

std::optional<ServiceReport> ServiceRecovery::recoverOnOldImage(const JournaledServiceUpdate& entry,
                                                                const backend::ServiceSummary& now,
                                                                ServiceReport report)
{
    if (now.version == entry.oldVersion)
    {
        report.reason = "the update never reached Swarm: the service is on its previous spec";
        close(entry, report, kNotStarted);
        return report;
    }
    const std::string by = entry.step == "rollback" ? "wiretap" : "swarm";
    auto status = now.update;
    if (status.state == "rollback_started")
    {
        // A rollback under way is followed, never rolled back again.
        const auto outcome =
            ServiceUpdater(_backend, _settings, _logger)
                .await(now, "", Poco::Timestamp() + _settings.serviceTimeout.totalMicroseconds());
        status = outcome.last;
        if (outcome.timedOut)
        {
            report.result = ServiceReport::Result::Failed;
            report.reason = "interrupted by a restart; the rollback by " + by + " did not complete within " +
                            std::to_string(_settings.serviceTimeout.totalSeconds()) + "s";
            close(entry, report, kFailed);
            return report;
        }
    }
    if (status.state == "rollback_completed")
    {
        report.result = ServiceReport::Result::RolledBack;
        report.rolledBackBy = by;
        report.reason = "interrupted by a restart; the update failed and " +
                        std::string(by == "wiretap" ? "wiretap's rollback" : "Swarm's failure action") +
                        " rolled it back" + (status.message.empty() ? "" : ": " + status.message);
        close(entry, report, by == "wiretap" ? kRolledBackByWiretap : kRolledBackBySwarm);
        return report;
    }
    if (status.state == "rollback_paused")
    {
        report.result = ServiceReport::Result::Failed;
        report.reason = "interrupted by a restart; the rollback by " + by + " paused: " + status.message;
        close(entry, report, kFailed);
        return report;
    }
    report.reason = "the service is back on its previous image (update state " +
                    ServiceUpdater::stateOf(status) + "), not by a rollback wiretap knows of; left alone";
    close(entry, report, kLeftAlone);
    return report;
}

void ServiceRecovery::close(const JournaledServiceUpdate& entry, ServiceReport& report,
                            const std::string& outcome)
{
    _journal.finishService(entry.key, outcome);
    report.micros = Poco::Timestamp() - report.startedAt;
    log::write(_logger,
               report.result == ServiceReport::Result::Updated ||
                       report.result == ServiceReport::Result::Skipped
                   ? Poco::Message::PRIO_INFORMATION
                   : Poco::Message::PRIO_WARNING,
               "Recovered service",
               {{"Service", entry.serviceName},
                {"Deploy", entry.deployId},
                {"Result", outcome},
                {"Detail", report.reason}});
}

} // namespace wiretap::deploy
