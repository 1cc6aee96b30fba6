#include "backend/SwarmInspectParser.h"

#include "backend/BackendError.h"
#include "backend/InspectJson.h"

namespace wiretap::backend
{

ServiceSummary SwarmInspectParser::service(const Poco::JSON::Object& inspect)
{
    const auto spec = inspect::object(inspect, "Spec");
    ServiceSummary service;
    service.id = inspect::string(inspect, "ID");
    if (service.id.empty() || !spec)
        throw BackendError("docker service inspect printed an object without ID or Spec");
    service.name = inspect::string(*spec, "Name");
    if (const auto version = inspect::object(inspect, "Version"))
        service.version = inspect::integer(*version, "Index");
    service.labels = inspect::stringMap(*spec, "Labels");
    if (const auto task = inspect::object(*spec, "TaskTemplate"))
        if (const auto container = inspect::object(*task, "ContainerSpec"))
        {
            service.image = inspect::string(*container, "Image");
            service.containerLabels = inspect::stringMap(*container, "Labels");
        }
    if (const auto updateConfig = inspect::object(*spec, "UpdateConfig"))
    {
        const std::string action = inspect::string(*updateConfig, "FailureAction");
        if (!action.empty())
            service.failureAction = action;
    }
    if (const auto mode = inspect::object(*spec, "Mode"))
        if (const auto replicated = inspect::object(*mode, "Replicated"))
            service.replicas = inspect::integer(*replicated, "Replicas");
    if (const auto status = inspect::object(inspect, "UpdateStatus"))
    {
        service.update.state = inspect::string(*status, "State");
        service.update.startedAt = inspect::string(*status, "StartedAt");
        service.update.message = inspect::string(*status, "Message");
    }
    return service;
}

bool SwarmInspectParser::isActiveManager(const Poco::JSON::Object& swarmInfo)
{
    return inspect::string(swarmInfo, "LocalNodeState") == "active" &&
           inspect::boolean(swarmInfo, "ControlAvailable");
}

} // namespace wiretap::backend
