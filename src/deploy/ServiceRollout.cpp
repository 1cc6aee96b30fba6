#include "deploy/ServiceRollout.h"

#include "deploy/DeployJournal.h"
#include "deploy/ServiceUpdater.h"
#include "log/LogFields.h"
#include "log/ScopedLogFields.h"

#include <algorithm>
#include <thread>

namespace wiretap::deploy
{
namespace
{
ServiceReport reportOf(const backend::ServiceSummary& service, ServiceReport::Result result,
                       const std::string& reason)
{
    ServiceReport report;
    report.name = service.name;
    report.id = service.id;
    report.oldImage = service.image;
    report.result = result;
    report.reason = reason;
    return report;
}
} // namespace

ServiceRollout::ServiceRollout(backend::ContainerBackend& backend, const DeploySettings& settings,
                               Poco::Logger& logger, DeployJournal* journal, std::string host,
                               std::string deployId)
    : _backend(backend), _settings(settings), _logger(logger), _matcher(settings), _journal(journal),
      _host(std::move(host)), _deployId(std::move(deployId))
{
}

std::string ServiceRollout::pinOf(const std::string& serviceImage)
{
    const auto at = serviceImage.find('@');
    return at == std::string::npos ? "" : serviceImage.substr(at + 1);
}

std::string ServiceRollout::pinned(const std::string& serviceImage, const std::string& digest)
{
    return serviceImage.substr(0, serviceImage.find('@')) + "@" + digest;
}

std::vector<backend::ServiceSummary> ServiceRollout::match(const events::ImageReference& pushed,
                                                           DeployReport& report)
{
    const auto matched = _matcher.match(pushed, _backend.listServices());
    for (const auto& skip : matched.skipped)
    {
        log::info(_logger, "Service left alone", {{"Service", skip.service.name}, {"Reason", skip.reason}});
        report.services.push_back(reportOf(skip.service, ServiceReport::Result::Skipped, skip.reason));
    }
    return matched.targets;
}

bool ServiceRollout::upToDate(const backend::ServiceSummary& service, const std::string& digest,
                              DeployReport& report)
{
    if (digest.empty() || pinOf(service.image) != digest)
        return false;
    log::info(_logger, "Service is up to date", {{"Service", service.name}, {"Digest", digest}});
    report.services.push_back(reportOf(service, ServiceReport::Result::UpToDate, "already on " + digest));
    return true;
}

void ServiceRollout::update(const std::vector<backend::ServiceSummary>& services, const std::string& digest,
                            DeployReport& report)
{
    std::vector<const backend::ServiceSummary*> toUpdate;
    for (const auto& service : services)
        if (!upToDate(service, digest, report))
            toUpdate.push_back(&service);
    bool stopped = false;
    for (std::size_t next = 0; next < toUpdate.size();)
    {
        if (stopped)
        {
            report.services.push_back(
                reportOf(*toUpdate[next++], ServiceReport::Result::Skipped,
                         "rollout stopped after a failed update (deploy.onFailure=stop)"));
            continue;
        }
        const std::size_t count = std::min(_settings.parallelism, toUpdate.size() - next);
        std::vector<ServiceReport> results(count);
        const auto work = [&](std::size_t i)
        { results[i] = updateOne(*toUpdate[next + i], pinned(toUpdate[next + i]->image, digest)); };
        if (count == 1)
            work(0);
        else
        {
            std::vector<std::thread> threads;
            const log::Fields context = log::ScopedLogFields::current(); // Host=... on their lines
            for (std::size_t i = 0; i < count; ++i)
                threads.emplace_back(
                    [&, i]
                    {
                        const log::ScopedLogFields scope(context);
                        work(i);
                    });
            for (auto& thread : threads)
                thread.join();
        }
        next += count;
        for (auto& result : results)
        {
            if (result.result != ServiceReport::Result::Updated && _settings.stopOnFailure)
                stopped = true;
            report.services.push_back(std::move(result));
        }
    }
}

ServiceReport ServiceRollout::updateOne(const backend::ServiceSummary& service, const std::string& image)
{
    ServiceUpdater updater(_backend, _settings, _logger);
    if (!_journal)
        return updater.update(service, image);
    std::int64_t key = 0;
    ServiceUpdater::Hooks hooks;
    hooks.before = [&](const std::string& step)
    {
        if (key != 0)
        {
            _journal->stepService(key, step);
            return;
        }
        JournaledServiceUpdate entry;
        entry.host = _host;
        entry.deployId = _deployId;
        entry.serviceId = service.id;
        entry.serviceName = service.name;
        entry.oldImage = service.image;
        entry.oldVersion = service.version;
        entry.oldStatusStart = service.update.startedAt;
        entry.image = image;
        entry.step = step;
        key = _journal->beginService(entry);
    };
    hooks.finished = [&](const ServiceReport& done)
    {
        if (key == 0)
            return;
        try
        {
            _journal->finishService(key, toString(done.result) +
                                             (done.rolledBackBy.empty() ? "" : " by " + done.rolledBackBy));
        }
        catch (const std::exception& exc)
        {
            // Left open: the next start's recovery finds the outcome on the engine again.
            log::warning(_logger, "Service update not closed in the journal",
                         {{"Service", service.name}, {"Error", exc.what()}});
        }
    };
    return updater.update(service, image, hooks);
}

void ServiceRollout::plan(const std::vector<backend::ServiceSummary>& services, const std::string& digest,
                          DeployReport& report)
{
    for (const auto& service : services)
    {
        if (upToDate(service, digest, report))
            continue;
        // Without the event's digest a dry run does not pull: the pin is not known yet.
        const std::string image =
            digest.empty() ? service.image.substr(0, service.image.find('@')) : pinned(service.image, digest);
        log::info(_logger, "Dry run: would update service", {{"Service", service.name}, {"Image", image}});
        auto planned = reportOf(service, ServiceReport::Result::Skipped, "dry run: would be updated");
        if (!digest.empty())
            planned.newImage = image;
        report.services.push_back(planned);
    }
}

void ServiceRollout::fail(const std::vector<backend::ServiceSummary>& services, const std::string& reason,
                          DeployReport& report)
{
    for (const auto& service : services)
    {
        log::error(_logger, "Service not updated", {{"Service", service.name}, {"Error", reason}});
        report.services.push_back(reportOf(service, ServiceReport::Result::Failed, reason));
    }
}

} // namespace wiretap::deploy
