#pragma once

#include "backend/ContainerBackend.h"
#include "deploy/ContainerMatcher.h"
#include "deploy/ContainerUpdater.h"
#include "deploy/DeployReport.h"
#include "deploy/DeployRequest.h"
#include "deploy/DeploySettings.h"
#include "events/ImageReference.h"

#include <Poco/Logger.h>

#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <vector>

namespace wiretap::deploy
{

class DeployJournal;
class ServiceRollout;

/// Runs one deploy of one image: find the containers that run it (one list,
/// one batched inspect), pull once, update each container that does not
/// already run the pulled image (ContainerUpdater), then the containers that
/// depend on an updated one, and report per container. On a Swarm manager,
/// then the services on the image (ServiceRollout), pinned to the pushed digest. Keeps going or stops
/// after a rollback as deploy.onFailure says. Never throws: every failure is
/// in the report. With a journal, each container update is journaled before
/// every step (JournalingStepHook) so that CrashRecovery can finish it, and each
/// service update before Swarm is asked for it (ServiceRecovery finishes those).
/// A deploy whose events all came before the previous pull of its image
/// started (the follow-up of a burst) reuses that pull instead of pulling again.
class Deployer
{
public:
    /// `host`: the docker host's name `backend` drives, written with each journaled update so
    /// that CrashRecovery of one host never touches another's containers.
    Deployer(backend::ContainerBackend& backend, const DeploySettings& settings,
             DeployJournal* journal = nullptr, std::string host = "");

    DeployReport run(const DeployRequest& request);

private:
    /// What planning read of the containers: every inspect, the targets, the running containers
    /// that depend on a target, and the images those two groups run now.
    struct Plan
    {
        std::vector<backend::ContainerSummary> all;
        std::vector<backend::ContainerSummary> targets;
        std::vector<backend::ContainerSummary> dependents;
        std::map<std::string, Poco::JSON::Object::Ptr> inspectById;
        std::vector<std::string> imageIds;
    };

    /// The inspects still missing (one call), the dependents and the image ids to inspect.
    Plan plan(backend::ContainerBackend& backend, const std::vector<backend::ContainerSummary>& all,
              std::vector<backend::ContainerSummary> targets);
    /// Targets and their dependents, in the order they must be updated, given the inspect of
    /// the images they run now (`imageById`).
    std::vector<UpdateTarget> prepare(const Plan& planned,
                                      const std::map<std::string, Poco::JSON::Object::Ptr>& imageById,
                                      const events::ImageReference& pushed, DeployReport& report);
    void execute(backend::ContainerBackend& backend, const std::vector<UpdateTarget>& targets,
                 DeployReport& report);
    ContainerReport updateOne(ContainerUpdater& updater, const UpdateTarget& target,
                              const std::string& deployId);
    void cleanUp(backend::ContainerBackend& backend, const DeployReport& report);
    static void conclude(DeployReport& report, bool dryRun);
    /// The images by id; one that is gone is left out (its containers keep every value).
    std::map<std::string, Poco::JSON::Object::Ptr> inspectImages(backend::ContainerBackend& backend,
                                                                 const std::vector<std::string>& ids);
    /// The deploy's work on `backend`; `run` adds the count of engine calls.
    void deploy(backend::ContainerBackend& backend, const DeployRequest& request, DeployReport& report);
    /// The matching containers' part: plan, pull, update (throws when the deploy fails as a whole).
    void updateContainers(backend::ContainerBackend& backend, const DeployRequest& request,
                          const std::vector<backend::ContainerSummary>& containers,
                          const std::vector<backend::ContainerSummary>& matched,
                          const events::ImageReference& pushed, DeployReport& report);
    /// The Swarm services to update (none unless `swarmManager` says the engine is a manager); a
    /// failure to ask or to list them fails the deploy but not its containers.
    std::vector<backend::ServiceSummary> matchServices(ServiceRollout& services,
                                                       std::future<bool>& swarmManager,
                                                       const events::ImageReference& pushed,
                                                       DeployReport& report);
    /// The Swarm part: the digest to pin (the event's, else the pulled image's), then each service.
    void updateServices(backend::ContainerBackend& backend, ServiceRollout& services,
                        const std::vector<backend::ServiceSummary>& targets, const DeployRequest& request,
                        const events::ImageReference& pushed, DeployReport& report);
    /// Pulls the pushed image once per deploy (or reuses the pull that covers a burst's events)
    /// into report.newImageId; throws.
    void pull(backend::ContainerBackend& backend, const DeployRequest& request,
              const events::ImageReference& pushed, DeployReport& report);

    /// What the last pull of this request's image gave, when every one of its events came
    /// before that pull started (so the pull already saw their pushes, or newer ones).
    std::optional<backend::PulledImage> coveringPull(const DeployRequest& request);
    void rememberPull(const std::string& key, Poco::Timestamp startedAt, backend::PulledImage image);
    /// The RepoDigests of `imageId` as its last pull for this request's key saw them; empty
    /// when that pull was of another image (or none is remembered).
    std::vector<std::string> pulledRepoDigests(const DeployRequest& request, const std::string& imageId);

    struct PullRecord
    {
        Poco::Timestamp startedAt;
        backend::PulledImage image;
    };

    backend::ContainerBackend& _backend;
    const DeploySettings& _settings;
    Poco::Logger& _logger;
    ContainerMatcher _matcher;
    DeployJournal* _journal;
    std::string _host;
    std::mutex _pullsMutex;
    std::map<std::string, PullRecord> _pulls; ///< by deploy key
};

} // namespace wiretap::deploy
