#include "backend/ContainerSpec.h"

namespace wiretap::backend
{

bool NetworkEndpoint::operator==(const NetworkEndpoint& other) const
{
    return network == other.network && aliases == other.aliases && ipv4 == other.ipv4 && ipv6 == other.ipv6 &&
           linkLocalIps == other.linkLocalIps && links == other.links && macAddress == other.macAddress &&
           driverOpts == other.driverOpts;
}

} // namespace wiretap::backend
