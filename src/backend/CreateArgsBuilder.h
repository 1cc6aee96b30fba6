#pragma once

#include "backend/ContainerSpec.h"

#include <string>
#include <vector>

namespace wiretap::backend
{

/// Turns a ContainerSpec into docker CLI argv (without the binary and global flags).
/// Pure functions: the same spec always gives the same words.
class CreateArgsBuilder
{
public:
    /// `create --name=NAME [network flags of networks[0]] OPTIONS... IMAGE [CMD...]`
    static std::vector<std::string> createArgs(const ContainerSpec& spec, const std::string& image,
                                               const std::string& name);
    /// The same with `run -d` instead of `create`.
    static std::vector<std::string> runArgs(const ContainerSpec& spec, const std::string& image,
                                            const std::string& name);
    /// `network connect [--alias=A]... [--ip=..] [--ip6=..] [--link-local-ip=..] [--link=..]
    /// [--driver-opt=K=V]... NETWORK CONTAINER`
    static std::vector<std::string> networkConnectArgs(const NetworkEndpoint& endpoint,
                                                       const std::string& container);
    /// The networks after the first: the ones to attach with `docker network connect`.
    static std::vector<NetworkEndpoint> laterNetworks(const ContainerSpec& spec);

private:
    static std::vector<std::string> build(const std::string& verb, const ContainerSpec& spec,
                                          const std::string& image, const std::string& name);
};

} // namespace wiretap::backend
