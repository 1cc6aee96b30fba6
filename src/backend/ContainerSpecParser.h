#pragma once

#include "backend/ContainerSpec.h"

#include <Poco/JSON/Object.h>

#include <map>
#include <set>
#include <string>

namespace wiretap::backend
{

/// Reads a ContainerSpec from `docker inspect` of a container and of the image it was created
/// from (inspected by id, before any pull). A pure function of its input.
///
/// Inheritance rule: Env entries, Cmd, Entrypoint, Labels, WorkingDir, User, ExposedPorts,
/// Healthcheck (field by field), Volumes and StopSignal that equal the old image's are taken as
/// inherited and left out, so the new container gets the new image's. An explicit value equal
/// to the old image's default cannot be told apart and is treated as inherited too.
///
/// Engine-made values are not pinned: the id-based default hostname (and any hostname in the
/// host and container: network modes), engine-generated MAC addresses (02:42:...), dynamic IP
/// addresses, the short id the engine adds to network aliases. Anonymous volumes are attached
/// again by volume name at the same path. `container:ID` modes, links and volumes-from are
/// written with container names (from `namesById`) so dependents follow a recreated container.
/// Missing keys, JSON null and empty arrays or objects all mean "unset", whatever the engine
/// version prints.
class ContainerSpecParser
{
public:
    /// `namesById` maps container ids to names (without '/'); short id prefixes are resolved too.
    /// `sharedPaths` are the mount points the container gets from its --volumes-from containers
    /// (they come back with --volumes-from, not as volumes of its own).
    /// Throws BackendError when `container` is not a container inspect object.
    static ContainerSpec parse(const Poco::JSON::Object& container, const Poco::JSON::Object& image,
                               const std::map<std::string, std::string>& namesById = {},
                               const std::set<std::string>& sharedPaths = {});
};

} // namespace wiretap::backend
