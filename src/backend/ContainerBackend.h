#pragma once

#include "backend/ContainerSpec.h"

#include <Poco/JSON/Object.h>
#include <Poco/Timespan.h>

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace wiretap::backend
{

/// One container as `list` sees it.
struct ContainerSummary
{
    std::string id;
    std::string name;    ///< without the leading '/'
    std::string image;   ///< Config.Image: the configured reference
    std::string imageId; ///< sha256:... of the image it runs
    std::string state;   ///< created, running, paused, restarting, removing, exited, dead
    std::map<std::string, std::string> labels;
    /// Its whole `docker container inspect` when the listing had it at hand (DockerCli's
    /// does), so that planning needs no second inspect; null otherwise.
    Poco::JSON::Object::Ptr inspect;
};

/// Where a Swarm service's latest update or rollback stands (`UpdateStatus` of
/// `docker service inspect`). All empty when the service has none: never updated, or just
/// updated and not yet picked up by Swarm's updater (which resets it).
struct ServiceUpdateStatus
{
    std::string state; ///< updating, paused, completed, rollback_started, rollback_paused, rollback_completed
    std::string startedAt; ///< as the engine prints it; a new update or rollback has a new one
    std::string message;
};

/// One Swarm service as `docker service inspect` shows it.
struct ServiceSummary
{
    std::string id;
    std::string name;
    std::string image; ///< Spec.TaskTemplate.ContainerSpec.Image, usually repo:tag@sha256:...
    /// Version.Index: the spec's version, which each update (and rollback) raises.
    long long version = 0;
    std::map<std::string, std::string> labels;          ///< Spec.Labels (the service's)
    std::map<std::string, std::string> containerLabels; ///< Spec.TaskTemplate.ContainerSpec.Labels
    /// Spec.UpdateConfig.FailureAction: pause (Swarm's default), continue or rollback.
    std::string failureAction = "pause";
    /// Spec.Mode: replicas asked for; -1 for a global (or job) service.
    long long replicas = -1;
    ServiceUpdateStatus update;
};

/// The CLI's and the engine's versions (`docker version`).
struct DockerVersions
{
    std::string clientVersion;
    std::string clientApiVersion;
    std::string serverVersion;
    std::string serverApiVersion;
    std::string serverMinApiVersion;
};

/// What `docker pull` left locally under the pulled reference.
struct PulledImage
{
    std::string id;                       ///< sha256:...
    std::vector<std::string> repoDigests; ///< RepoDigests: repository@sha256:..., every repository
};

/// Everything wiretap asks of the container engine. DockerCli implements it with the docker
/// CLI; tests use MockContainerBackend. Failures throw BackendError (DockerError for a failed
/// CLI call); names and ids are accepted wherever a container is named.
class ContainerBackend
{
public:
    virtual ~ContainerBackend() = default;

    /// Every container, running or not, in a constant number of engine calls.
    virtual std::vector<ContainerSummary> listContainers() = 0;
    /// `docker container inspect` of all of them in one call, in the order asked.
    virtual std::vector<Poco::JSON::Object::Ptr>
    inspectContainers(const std::vector<std::string>& containers) = 0;
    /// `docker image inspect` of all of them (ids or references) in one call, in the order asked.
    virtual std::vector<Poco::JSON::Object::Ptr> inspectImages(const std::vector<std::string>& images) = 0;
    /// Pulls `reference`; returns what it now names locally, from one image inspect.
    virtual PulledImage pullImage(const std::string& reference) = 0;
    /// Stops with `signal` ("" = the container's own) and waits `timeoutSeconds` (< 0: the
    /// container's own stop timeout) before the engine kills it.
    virtual void stopContainer(const std::string& container, const std::string& signal,
                               int timeoutSeconds) = 0;
    virtual void killContainer(const std::string& container, const std::string& signal) = 0;
    virtual void renameContainer(const std::string& container, const std::string& newName) = 0;
    virtual void removeContainer(const std::string& container, bool force, bool removeVolumes) = 0;
    /// `docker create` from `spec` on `image` named `name`, attached to spec.networks[0] only;
    /// returns the new container's id. Connect the others with connectNetwork.
    virtual std::string createContainer(const ContainerSpec& spec, const std::string& image,
                                        const std::string& name) = 0;
    /// `docker run --detach`: createContainer and startContainer in one call, for a spec with
    /// no network after spec.networks[0] (none to connect before the start). Returns the new
    /// container's id once it was started. When it throws, a container may have been created
    /// under `name` and not started (or, after a timeout, even started): find it by that name.
    virtual std::string runContainer(const ContainerSpec& spec, const std::string& image,
                                     const std::string& name) = 0;
    virtual void connectNetwork(const std::string& container, const NetworkEndpoint& endpoint) = 0;
    virtual void startContainer(const std::string& container) = 0;
    /// Polls inspect until the container runs; throws BackendError when it exits or at the deadline.
    virtual void waitUntilRunning(const std::string& container, Poco::Timespan timeout) = 0;
    /// Like waitUntilRunning, then until its healthcheck says healthy (at once when it has none);
    /// throws BackendError when it becomes unhealthy, exits, or at the deadline.
    virtual void waitUntilHealthy(const std::string& container, Poco::Timespan timeout) = 0;
    virtual void removeImage(const std::string& image, bool force) = 0;
    virtual DockerVersions versions() = 0;

    /// Whether the engine is an active Swarm manager, which can list and update services.
    virtual bool isSwarmManager() = 0;
    /// Every Swarm service with its spec and update status, in a constant number of engine calls.
    virtual std::vector<ServiceSummary> listServices() = 0;
    /// One service (by id or name) as it is now; throws BackendError when it is gone.
    virtual ServiceSummary inspectService(const std::string& service) = 0;
    /// Asks Swarm to update the service to `image` (with the registry credentials for its nodes)
    /// and returns at once: Swarm rolls it out as its update_config says.
    virtual void updateServiceImage(const std::string& service, const std::string& image) = 0;
    /// Asks Swarm to roll the service back to its previous spec and returns at once.
    virtual void rollbackService(const std::string& service) = 0;

    /// This backend for one deploy: the same engine, and every engine call it makes is also
    /// added to `calls`, so that a deploy can report its own cost even while others run.
    /// Null (the default) when the backend does not count.
    virtual std::unique_ptr<ContainerBackend> counting(std::atomic<std::size_t>& calls)
    {
        (void)calls;
        return nullptr;
    }
};

} // namespace wiretap::backend
