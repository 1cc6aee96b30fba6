#include "MockContainerBackend.h"

#include "backend/DockerError.h"
#include "backend/InspectJson.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <cstdio>

namespace wiretap::backend
{
namespace
{

std::string fakeId(int n)
{
    char buffer[65];
    std::snprintf(buffer, sizeof buffer, "%064x", n);
    return buffer;
}

std::string joined(const std::string& method, const std::vector<std::string>& args)
{
    std::string line = method;
    for (const auto& arg : args)
        line += " " + arg;
    return line;
}

} // namespace

void MockContainerBackend::record(const std::string& method, const std::vector<std::string>& args)
{
    const std::lock_guard<std::recursive_mutex> lock(*_mutex);
    _calls.push_back(joined(method, args));
    failIfTold(method, args);
}

void MockContainerBackend::failIfTold(const std::string& method, const std::vector<std::string>& args)
{
    for (auto it = _failures.begin(); it != _failures.end(); ++it)
    {
        if (it->method != method || (!it->argument.empty() && (args.empty() || args.front() != it->argument)))
            continue;
        const std::string message = it->message;
        if (it->times > 0 && --it->times == 0)
            _failures.erase(it);
        std::vector<std::string> argv = {"docker", method};
        argv.insert(argv.end(), args.begin(), args.end());
        throw DockerError(argv, 1, message);
    }
}

void MockContainerBackend::failOn(const std::string& method, const std::string& message, int times,
                                  const std::string& argument)
{
    if (times != 0)
        _failures.push_back({method, message, times, argument});
}

void MockContainerBackend::clearFailures()
{
    _failures.clear();
}

void MockContainerBackend::addContainer(const Poco::JSON::Object::Ptr& inspect)
{
    Container container;
    container.inspect = inspect;
    container.id = inspect::string(*inspect, "Id");
    if (container.id.empty())
        container.id = fakeId(_nextId++);
    container.name = inspect::string(*inspect, "Name");
    if (!container.name.empty() && container.name.front() == '/')
        container.name.erase(0, 1);
    container.imageId = inspect::string(*inspect, "Image");
    if (const auto config = inspect::object(*inspect, "Config"))
    {
        container.image = inspect::string(*config, "Image");
        container.labels = inspect::stringMap(*config, "Labels");
    }
    container.state = "running";
    if (const auto state = inspect::object(*inspect, "State"))
        container.state = inspect::string(*state, "Status");
    _containers.push_back(container);
}

Poco::JSON::Object::Ptr MockContainerBackend::addContainer(const std::string& name, const std::string& image,
                                                           const std::string& imageId,
                                                           const std::string& state)
{
    Poco::JSON::Object::Ptr inspect = new Poco::JSON::Object;
    inspect->set("Id", fakeId(_nextId++));
    inspect->set("Name", "/" + name);
    inspect->set("Image", imageId);
    Poco::JSON::Object::Ptr config = new Poco::JSON::Object;
    config->set("Image", image);
    inspect->set("Config", config);
    Poco::JSON::Object::Ptr stateObject = new Poco::JSON::Object;
    stateObject->set("Status", state);
    stateObject->set("Running", state == "running");
    inspect->set("State", stateObject);
    addContainer(inspect);
    return inspect;
}

void MockContainerBackend::addImage(const Poco::JSON::Object::Ptr& inspect,
                                    const std::vector<std::string>& references)
{
    _images[inspect::string(*inspect, "Id")] = inspect;
    for (const auto& reference : references)
        _images[reference] = inspect;
}

void MockContainerBackend::setPullResult(const std::string& reference, const std::string& imageId)
{
    _pullResults[reference] = imageId;
}

void MockContainerBackend::setHealth(const std::string& container, const std::string& status)
{
    find("setHealth", container).health = status;
}

std::vector<std::string> MockContainerBackend::callsTo(const std::string& method) const
{
    std::vector<std::string> result;
    for (const auto& call : _calls)
        if (call == method || call.rfind(method + " ", 0) == 0)
            result.push_back(call);
    return result;
}

std::string MockContainerBackend::stateOf(const std::string& container) const
{
    for (const auto& c : _containers)
        if (c.name == container || c.id == container)
            return c.state;
    return "";
}

std::vector<std::string> MockContainerBackend::containerNames() const
{
    std::vector<std::string> names;
    for (const auto& c : _containers)
        names.push_back(c.name);
    std::sort(names.begin(), names.end());
    return names;
}

MockContainerBackend::Container& MockContainerBackend::find(const std::string& method,
                                                            const std::string& container)
{
    for (auto& c : _containers)
        if (c.name == container || c.id == container)
            return c;
    throw DockerError({"docker", method, container}, 1, "Error: No such container: " + container);
}

Poco::JSON::Object::Ptr MockContainerBackend::inspectOf(const Container& container) const
{
    // A copy of the recorded inspect with the model's current id, name and state.
    Poco::JSON::Object::Ptr result =
        container.inspect ? new Poco::JSON::Object(*container.inspect) : new Poco::JSON::Object;
    result->set("Id", container.id);
    result->set("Name", "/" + container.name);
    result->set("Image", container.imageId);
    Poco::JSON::Object::Ptr state = new Poco::JSON::Object;
    state->set("Status", container.state);
    state->set("Running", container.state == "running");
    if (!container.health.empty())
    {
        Poco::JSON::Object::Ptr health = new Poco::JSON::Object;
        health->set("Status", container.health);
        state->set("Health", health);
    }
    result->set("State", state);
    if (!result->has("Config"))
    {
        Poco::JSON::Object::Ptr config = new Poco::JSON::Object;
        config->set("Image", container.image);
        result->set("Config", config);
    }
    return result;
}

std::vector<ContainerSummary> MockContainerBackend::listContainers()
{
    record("listContainers", {});
    std::vector<ContainerSummary> result;
    for (const auto& c : _containers)
        result.push_back({c.id, c.name, c.image, c.imageId, c.state, c.labels, nullptr});
    return result;
}

std::vector<Poco::JSON::Object::Ptr>
MockContainerBackend::inspectContainers(const std::vector<std::string>& containers)
{
    record("inspectContainers", containers);
    std::vector<Poco::JSON::Object::Ptr> result;
    for (const auto& name : containers)
        result.push_back(inspectOf(find("inspectContainers", name)));
    return result;
}

std::vector<Poco::JSON::Object::Ptr>
MockContainerBackend::inspectImages(const std::vector<std::string>& images)
{
    record("inspectImages", images);
    std::vector<Poco::JSON::Object::Ptr> result;
    for (const auto& image : images)
    {
        const auto it = _images.find(image);
        if (it == _images.end())
            throw DockerError({"docker", "inspectImages", image}, 1, "Error: No such image: " + image);
        result.push_back(it->second);
    }
    return result;
}

PulledImage MockContainerBackend::pullImage(const std::string& reference)
{
    record("pullImage", {reference});
    const auto pulled = _pullResults.find(reference);
    if (pulled != _pullResults.end())
    {
        const auto image = _images.find(pulled->second);
        return {pulled->second, image != _images.end() ? inspect::strings(*image->second, "RepoDigests")
                                                       : std::vector<std::string>()};
    }
    const auto image = _images.find(reference);
    if (image != _images.end())
        return {inspect::string(*image->second, "Id"), inspect::strings(*image->second, "RepoDigests")};
    throw DockerError({"docker", "pull", reference}, 1, "Error response from daemon: manifest unknown");
}

void MockContainerBackend::stopContainer(const std::string& container, const std::string& signal,
                                         int timeoutSeconds)
{
    record("stopContainer", {container, signal, std::to_string(timeoutSeconds)});
    find("stopContainer", container).state = "exited";
}

void MockContainerBackend::killContainer(const std::string& container, const std::string& signal)
{
    record("killContainer", {container, signal});
    find("killContainer", container).state = "exited";
}

void MockContainerBackend::renameContainer(const std::string& container, const std::string& newName)
{
    record("renameContainer", {container, newName});
    for (const auto& c : _containers)
        if (c.name == newName)
            throw DockerError({"docker", "rename", container, newName}, 1,
                              "Conflict: name " + newName + " in use");
    find("renameContainer", container).name = newName;
}

void MockContainerBackend::removeContainer(const std::string& container, bool force, bool removeVolumes)
{
    record("removeContainer",
           {container, force ? "force" : "noforce", removeVolumes ? "volumes" : "novolumes"});
    Container& c = find("removeContainer", container);
    if (c.state == "running" && !force)
        throw DockerError({"docker", "rm", container}, 1, "You cannot remove a running container");
    const std::string id = c.id;
    _containers.erase(std::remove_if(_containers.begin(), _containers.end(),
                                     [&id](const Container& each) { return each.id == id; }),
                      _containers.end());
}

std::string MockContainerBackend::createContainer(const ContainerSpec& spec, const std::string& image,
                                                  const std::string& name)
{
    record("createContainer", {name, image});
    return create(spec, image, name);
}

std::string MockContainerBackend::runContainer(const ContainerSpec& spec, const std::string& image,
                                               const std::string& name)
{
    record("runContainer", {name, image});
    const std::string id = create(spec, image, name);
    afterRunCreated(id);
    {
        const std::lock_guard<std::recursive_mutex> lock(*_mutex);
        failIfTold("runContainer.start", {name, image});
    }
    find("runContainer", id).state = "running";
    return id;
}

std::string MockContainerBackend::create(const ContainerSpec& spec, const std::string& image,
                                         const std::string& name)
{
    for (const auto& c : _containers)
        if (c.name == name)
            throw DockerError({"docker", "create", name}, 1, "Conflict: name " + name + " in use");
    Container container;
    container.id = fakeId(_nextId++);
    container.name = name;
    container.image = image;
    const auto known = _images.find(image);
    container.imageId = known != _images.end() ? inspect::string(*known->second, "Id") : image;
    container.state = "created";
    if (!spec.networks.empty())
        container.networks.push_back(spec.networks.front().network);
    _containers.push_back(container);
    _created.push_back({container.id, name, image, spec});
    return container.id;
}

void MockContainerBackend::connectNetwork(const std::string& container, const NetworkEndpoint& endpoint)
{
    record("connectNetwork", {container, endpoint.network});
    find("connectNetwork", container).networks.push_back(endpoint.network);
}

void MockContainerBackend::startContainer(const std::string& container)
{
    record("startContainer", {container});
    find("startContainer", container).state = "running";
}

void MockContainerBackend::waitUntilRunning(const std::string& container, Poco::Timespan)
{
    record("waitUntilRunning", {container});
    if (find("waitUntilRunning", container).state != "running")
        throw BackendError("container " + container + " is not running");
}

void MockContainerBackend::waitUntilHealthy(const std::string& container, Poco::Timespan)
{
    record("waitUntilHealthy", {container});
    const Container& c = find("waitUntilHealthy", container);
    if (c.state != "running")
        throw BackendError("container " + container + " is not running");
    if (!c.health.empty() && c.health != "healthy")
        throw BackendError("container " + container + " is " + c.health);
}

void MockContainerBackend::removeImage(const std::string& image, bool force)
{
    record("removeImage", {image, force ? "force" : "noforce"});
    _images.erase(image);
}

DockerVersions MockContainerBackend::versions()
{
    record("versions", {});
    return versionsAnswer;
}

void MockContainerBackend::addService(const ServiceSummary& service, const std::string& previousImage)
{
    _services.push_back({service, previousImage, {}});
}

void MockContainerBackend::scriptInspect(const std::string& service,
                                         const std::vector<ServiceUpdateStatus>& states)
{
    findService("scriptInspect", service).pending = states;
}

void MockContainerBackend::scriptUpdate(const std::string& service,
                                        const std::vector<ServiceUpdateStatus>& states)
{
    _updateScripts[service] = states;
}

void MockContainerBackend::scriptRollback(const std::string& service,
                                          const std::vector<ServiceUpdateStatus>& states)
{
    _rollbackScripts[service] = states;
}

std::string MockContainerBackend::serviceImage(const std::string& service) const
{
    for (const auto& s : _services)
        if (s.summary.name == service || s.summary.id == service)
            return s.summary.image;
    return "";
}

MockContainerBackend::Service& MockContainerBackend::findService(const std::string& method,
                                                                 const std::string& service)
{
    for (auto& s : _services)
        if (s.summary.name == service || s.summary.id == service)
            return s;
    throw DockerError({"docker", method, service}, 1, "Error: no such service: " + service);
}

bool MockContainerBackend::isSwarmManager()
{
    const std::lock_guard<std::recursive_mutex> lock(*_mutex);
    record("isSwarmManager", {});
    return swarmManager;
}

std::vector<ServiceSummary> MockContainerBackend::listServices()
{
    const std::lock_guard<std::recursive_mutex> lock(*_mutex);
    record("listServices", {});
    std::vector<ServiceSummary> result;
    for (const auto& s : _services)
        result.push_back(s.summary);
    return result;
}

ServiceSummary MockContainerBackend::inspectService(const std::string& service)
{
    const std::lock_guard<std::recursive_mutex> lock(*_mutex);
    record("inspectService", {service});
    Service& s = findService("inspectService", service);
    if (!s.pending.empty())
    {
        s.summary.update = s.pending.front();
        if (s.pending.size() > 1)
            s.pending.erase(s.pending.begin());
    }
    return s.summary;
}

void MockContainerBackend::updateServiceImage(const std::string& service, const std::string& image)
{
    const std::lock_guard<std::recursive_mutex> lock(*_mutex);
    record("updateServiceImage", {service, image});
    Service& s = findService("updateServiceImage", service);
    s.previousImage = s.summary.image;
    s.summary.image = image;
    ++s.summary.version;
    s.summary.update = {}; // Swarm resets it until its updater starts
    const auto script = _updateScripts.find(s.summary.name);
    s.pending = script != _updateScripts.end()
                    ? script->second
                    : std::vector<ServiceUpdateStatus>{{"completed", "mock-update", "update completed"}};
}

void MockContainerBackend::rollbackService(const std::string& service)
{
    const std::lock_guard<std::recursive_mutex> lock(*_mutex);
    record("rollbackService", {service});
    Service& s = findService("rollbackService", service);
    std::swap(s.summary.image, s.previousImage);
    ++s.summary.version;
    const auto script = _rollbackScripts.find(s.summary.name);
    s.pending =
        script != _rollbackScripts.end()
            ? script->second
            : std::vector<ServiceUpdateStatus>{{"rollback_completed", "mock-rollback", "rollback completed"}};
}

} // namespace wiretap::backend
