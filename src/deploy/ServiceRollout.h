#pragma once

#include "backend/ContainerBackend.h"
#include "deploy/DeployReport.h"
#include "deploy/DeploySettings.h"
#include "deploy/ServiceMatcher.h"
#include "events/ImageReference.h"

#include <Poco/Logger.h>

#include <string>
#include <vector>

namespace wiretap::deploy
{

/// The Swarm part of a deploy, on an engine that is a Swarm manager: find the services the
/// pushed image concerns, then pin each one that is not already on the pushed digest to it, one
/// service after the other (ServiceUpdater), and report per service. One service's failure
/// never stops the others.
class ServiceRollout
{
public:
    ServiceRollout(backend::ContainerBackend& backend, const DeploySettings& settings, Poco::Logger& logger);

    /// The services to update, on an engine that is a Swarm manager (the caller asked
    /// isSwarmManager, alongside its other planning calls). Those left alone go into `report` as
    /// skipped. Throws BackendError.
    std::vector<backend::ServiceSummary> match(const events::ImageReference& pushed, DeployReport& report);
    /// Updates `services` to `digest` (sha256:...) of the pushed image.
    void update(const std::vector<backend::ServiceSummary>& services, const std::string& digest,
                DeployReport& report);
    /// Dry run: logs and reports what update() would do; `digest` may be unknown ("").
    void plan(const std::vector<backend::ServiceSummary>& services, const std::string& digest,
              DeployReport& report);
    /// Reports every one of `services` as failed with `reason` (no digest to pin them to).
    void fail(const std::vector<backend::ServiceSummary>& services, const std::string& reason,
              DeployReport& report);

    /// The service's image as it names it (`repo:tag`, its old pin dropped) pinned to `digest`.
    static std::string pinned(const std::string& serviceImage, const std::string& digest);
    /// The digest the service's image is pinned to ("" when none).
    static std::string pinOf(const std::string& serviceImage);

private:
    /// True (and reported) when the service is already on `digest`.
    bool upToDate(const backend::ServiceSummary& service, const std::string& digest, DeployReport& report);

    backend::ContainerBackend& _backend;
    const DeploySettings& _settings;
    Poco::Logger& _logger;
    ServiceMatcher _matcher;
};

} // namespace wiretap::deploy
