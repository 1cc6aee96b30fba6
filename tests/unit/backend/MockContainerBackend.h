#pragma once

#include "backend/ContainerBackend.h"

#include <Poco/JSON/Object.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace wiretap::backend
{

/// A ContainerBackend in memory for unit tests. It records every call as one line
/// ("method arg arg..."), keeps a small model of containers and images that the calls change
/// (create, rename, start, stop, remove...), and fails any method when told to. Calls may come
/// from several threads (a deploy asks some alongside others, services are updated in
/// parallel): the record of calls and failures, and the Swarm model, are locked; the container
/// model is only read by the calls that can overlap.
class MockContainerBackend : public ContainerBackend
{
public:
    /// What createContainer was given.
    struct Created
    {
        std::string id;
        std::string name;
        std::string image;
        ContainerSpec spec;
    };

    /// Adds a container from its `docker inspect` object (Id, Name, Image, Config.Image,
    /// Config.Labels, State.Status are read; missing ones get defaults).
    void addContainer(const Poco::JSON::Object::Ptr& inspect);
    /// Adds a container with just the fields `list` shows; returns its inspect object.
    Poco::JSON::Object::Ptr addContainer(const std::string& name, const std::string& image,
                                         const std::string& imageId, const std::string& state = "running");
    /// Adds an image under its id and every given reference.
    void addImage(const Poco::JSON::Object::Ptr& inspect, const std::vector<std::string>& references = {});
    /// pullImage(reference) will return `imageId` (default: the id of an added image of that name).
    void setPullResult(const std::string& reference, const std::string& imageId);
    /// waitUntilHealthy on this container reports this status ("healthy", "unhealthy", "starting").
    void setHealth(const std::string& container, const std::string& status);

    /// Adds a Swarm service (isSwarmManager must be set for the deployer to look at it);
    /// `previousImage`: its previous spec's image, what a rollback returns to.
    void addService(const ServiceSummary& service, const std::string& previousImage = "");
    /// What the next inspects of `service` show from now on, as scriptUpdate's states.
    void scriptInspect(const std::string& service, const std::vector<ServiceUpdateStatus>& states);
    /// What inspectService shows of `service` after the next updateServiceImage (or
    /// rollbackService): one status per inspect, the last one again and again. Without a
    /// script an update completes and a rollback completes at once.
    void scriptUpdate(const std::string& service, const std::vector<ServiceUpdateStatus>& states);
    void scriptRollback(const std::string& service, const std::vector<ServiceUpdateStatus>& states);
    /// The service's spec image now ("" when there is no such service).
    std::string serviceImage(const std::string& service) const;

    /// Makes `method` (e.g. "startContainer") throw DockerError(stderr = `message`): every call
    /// ("runContainer.start": runContainer after it created the container, which stays)
    /// when `times` < 0, else the next `times` calls; only calls whose first argument is
    /// `argument` when that is not empty.
    void failOn(const std::string& method, const std::string& message = "mock failure", int times = -1,
                const std::string& argument = "");
    void clearFailures();

    const std::vector<std::string>& calls() const { return _calls; }
    /// The recorded calls of one method.
    std::vector<std::string> callsTo(const std::string& method) const;
    void clearCalls() { _calls.clear(); }
    const std::vector<Created>& created() const { return _created; }
    /// The state of a container ("" when there is none of that name or id).
    std::string stateOf(const std::string& container) const;
    /// The names of all containers, sorted.
    std::vector<std::string> containerNames() const;

    std::vector<ContainerSummary> listContainers() override;
    std::vector<Poco::JSON::Object::Ptr>
    inspectContainers(const std::vector<std::string>& containers) override;
    std::vector<Poco::JSON::Object::Ptr> inspectImages(const std::vector<std::string>& images) override;
    PulledImage pullImage(const std::string& reference) override;
    void stopContainer(const std::string& container, const std::string& signal, int timeoutSeconds) override;
    void killContainer(const std::string& container, const std::string& signal) override;
    void renameContainer(const std::string& container, const std::string& newName) override;
    void removeContainer(const std::string& container, bool force, bool removeVolumes) override;
    std::string createContainer(const ContainerSpec& spec, const std::string& image,
                                const std::string& name) override;
    std::string runContainer(const ContainerSpec& spec, const std::string& image,
                             const std::string& name) override;
    void connectNetwork(const std::string& container, const NetworkEndpoint& endpoint) override;
    void startContainer(const std::string& container) override;
    void waitUntilRunning(const std::string& container, Poco::Timespan timeout) override;
    void waitUntilHealthy(const std::string& container, Poco::Timespan timeout) override;
    void removeImage(const std::string& image, bool force) override;
    DockerVersions versions() override;
    bool isSwarmManager() override;
    std::vector<ServiceSummary> listServices() override;
    ServiceSummary inspectService(const std::string& service) override;
    void updateServiceImage(const std::string& service, const std::string& image) override;
    void rollbackService(const std::string& service) override;

    bool swarmManager = false; ///< what isSwarmManager answers
    DockerVersions versionsAnswer = {"28.2.2", "1.41", "20.10.24", "1.41", "1.12"};

protected:
    /// Called by runContainer between its create and its start (a crash test stops there).
    virtual void afterRunCreated(const std::string& id) { (void)id; }

private:
    struct Container
    {
        std::string id;
        std::string name;
        std::string image;
        std::string imageId;
        std::string state;
        std::string health;
        std::map<std::string, std::string> labels;
        std::vector<std::string> networks;
        Poco::JSON::Object::Ptr inspect;
    };
    struct Failure
    {
        std::string method;
        std::string message;
        int times;
        std::string argument;
    };

    struct Service
    {
        ServiceSummary summary;
        std::string previousImage;
        std::vector<ServiceUpdateStatus> pending; ///< what the next inspects show
    };

    void record(const std::string& method, const std::vector<std::string>& args);
    /// Throws as failOn said for `method`; the caller holds _mutex.
    void failIfTold(const std::string& method, const std::vector<std::string>& args);
    /// The model's part of createContainer and runContainer.
    std::string create(const ContainerSpec& spec, const std::string& image, const std::string& name);
    Service& findService(const std::string& method, const std::string& service);
    Container& find(const std::string& method, const std::string& container);
    Poco::JSON::Object::Ptr inspectOf(const Container& container) const;

    std::vector<std::string> _calls;
    std::vector<Failure> _failures;
    std::vector<Container> _containers;
    std::map<std::string, Poco::JSON::Object::Ptr> _images; ///< by id and by reference
    std::map<std::string, std::string> _pullResults;
    std::vector<Created> _created;
    std::vector<Service> _services;
    std::map<std::string, std::vector<ServiceUpdateStatus>> _updateScripts;   ///< by service name
    std::map<std::string, std::vector<ServiceUpdateStatus>> _rollbackScripts; ///< by service name
    int _nextId = 1;
    /// Guards _calls, _failures and the Swarm model: held by record() and the service
    /// methods; shared by copies (tests assign a fresh mock).
    std::shared_ptr<std::recursive_mutex> _mutex = std::make_shared<std::recursive_mutex>();
};

} // namespace wiretap::backend
