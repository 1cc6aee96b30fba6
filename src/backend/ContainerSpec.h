#pragma once

#include <map>
#include <string>
#include <vector>

namespace wiretap::backend
{

/// One network a container is attached to, with what the user configured on it.
struct NetworkEndpoint
{
    std::string network;                   ///< network name
    std::vector<std::string> aliases;      ///< user aliases (not the engine's short id)
    std::string ipv4;                      ///< static (IPAM) address only
    std::string ipv6;                      ///< static (IPAM) address only
    std::vector<std::string> linkLocalIps; ///< static link-local addresses
    std::vector<std::string> links;        ///< "container:alias" on this network
    std::string macAddress;                ///< user-set only (never the engine's)
    std::map<std::string, std::string> driverOpts;

    bool operator==(const NetworkEndpoint& other) const;
};

/// What `docker create` needs to recreate a container with the same configuration on another
/// image. Built from `docker inspect` by ContainerSpecParser; turned into argv by
/// CreateArgsBuilder. Only what the user set explicitly is here: values the container merely
/// inherited from its image are left out, so the new container takes them from the new image.
struct ContainerSpec
{
    std::string id;          ///< the inspected container's id
    std::string name;        ///< without the leading '/'
    std::string image;       ///< Config.Image: the reference the container was created from
    std::string imageId;     ///< the image it runs (sha256:...)
    std::string networkMode; ///< "" (engine default), bridge, host, none, NAME, container:NAME
    /// Networks in order: the first is given to `docker create` (when networkMode names a
    /// network it is that one), the others are attached with `docker network connect`.
    std::vector<NetworkEndpoint> networks;
    /// The flags of `docker create`/`docker run` other than --name and the network ones, each
    /// one argv word (`--flag` or `--flag=value`), in a stable order.
    std::vector<std::string> options;
    bool entrypointSet = false;          ///< Entrypoint differs from the image's
    std::vector<std::string> entrypoint; ///< when entrypointSet; empty = `--entrypoint ""`
    bool commandSet = false;             ///< Cmd is passed (differs from the image's, or entrypointSet)
    std::vector<std::string> command;
    bool autoRemove = false;            ///< --rm: the engine removes it when it stops
    std::vector<std::string> dependsOn; ///< names it needs (container: modes, links, volumes-from)
};

} // namespace wiretap::backend
