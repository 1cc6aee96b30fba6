#pragma once

#include "backend/ContainerBackend.h"

#include <Poco/JSON/Object.h>

namespace wiretap::backend
{

/// Reads what wiretap needs of Swarm from the engine's JSON: a service from its
/// `docker service inspect` object, and the node's role from `docker info --format
/// '{{json .Swarm}}'`. Pure functions of their input; missing keys read as unset.
class SwarmInspectParser
{
public:
    /// Throws BackendError when `inspect` has no ID or no Spec (it is not a service).
    static ServiceSummary service(const Poco::JSON::Object& inspect);
    /// True when the node is in an active swarm and can manage it (LocalNodeState "active",
    /// ControlAvailable true); a worker, a node that is joining or has left is not a manager.
    static bool isActiveManager(const Poco::JSON::Object& swarmInfo);
};

} // namespace wiretap::backend
