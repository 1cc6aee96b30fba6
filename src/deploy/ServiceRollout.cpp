#include "deploy/ServiceRollout.h"

#include "deploy/ServiceUpdater.h"
#include "log/LogFields.h"

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
                               Poco::Logger& logger)
    : _backend(backend), _settings(settings), _logger(logger), _matcher(settings)
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
    ServiceUpdater updater(_backend, _settings, _logger);
    for (const auto& service : services)
        if (!upToDate(service, digest, report))
            report.services.push_back(updater.update(service, pinned(service.image, digest)));
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
