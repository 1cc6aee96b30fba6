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

class DeployJournal;

/// The Swarm part of a deploy, on an engine that is a Swarm manager: find the services the
/// pushed image concerns, then pin each one that is not already on the pushed digest to it
/// (ServiceUpdater) as deploy.strategy says: one after the other (rolling), or `parallelism` at
/// a time (parallel), each still rolled out by Swarm as its own update_config says. After a
/// service that was not updated, deploy.onFailure=stop skips the services not yet started;
/// containers are never stopped by a service, nor services by a container. With a journal,
/// each service update is journaled before Swarm is asked for it, and closed once its outcome
/// is known, so that ServiceRecovery can finish it after a crash.
class ServiceRollout
{
public:
    /// `journal`, `host` and `deployId`: where and under what each service update is journaled.
    ServiceRollout(backend::ContainerBackend& backend, const DeploySettings& settings, Poco::Logger& logger,
                   DeployJournal* journal = nullptr, std::string host = "", std::string deployId = "");

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
    /// One service's update, journaled when there is a journal.
    ServiceReport updateOne(const backend::ServiceSummary& service, const std::string& image);

    backend::ContainerBackend& _backend;
    const DeploySettings& _settings;
    Poco::Logger& _logger;
    ServiceMatcher _matcher;
    DeployJournal* _journal;
    std::string _host;
    std::string _deployId;
};

} // namespace wiretap::deploy
