#pragma once

#include "backend/ContainerBackend.h"
#include "backend/ContainerSpec.h"

#include <string>
#include <vector>

namespace wiretap::backend
{

/// Reads the specs of containers through a backend in a constant number of engine calls: list
/// (for id → name), one container inspect, one inspect of the images they were created from (by
/// id, so a later pull cannot change the answer), and one inspect of their --volumes-from
/// sources when there are any. An image that is gone is read as one without defaults:
/// everything the container has is then kept as explicit.
std::vector<ContainerSpec> loadContainerSpecs(ContainerBackend& backend,
                                              const std::vector<std::string>& containers);

/// One container's spec; see loadContainerSpecs.
ContainerSpec loadContainerSpec(ContainerBackend& backend, const std::string& container);

} // namespace wiretap::backend
