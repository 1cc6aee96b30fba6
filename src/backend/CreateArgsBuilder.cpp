#include "backend/CreateArgsBuilder.h"

namespace wiretap::backend
{

std::vector<std::string> CreateArgsBuilder::build(const std::string& verb, const ContainerSpec& spec,
                                                  const std::string& image, const std::string& name)
{
    std::vector<std::string> args;
    if (verb == "run")
        args = {"run", "-d"};
    else
        args = {verb};
    args.push_back("--name=" + name);
    if (!spec.networkMode.empty())
        args.push_back("--network=" + spec.networkMode);
    if (!spec.networks.empty())
    {
        const NetworkEndpoint& first = spec.networks.front();
        // Without a network mode the first network is the engine's default; with one it is it.
        if (spec.networkMode.empty() && first.network != "bridge")
            args.push_back("--network=" + first.network);
        for (const auto& alias : first.aliases)
            args.push_back("--network-alias=" + alias);
        if (!first.ipv4.empty())
            args.push_back("--ip=" + first.ipv4);
        if (!first.ipv6.empty())
            args.push_back("--ip6=" + first.ipv6);
        for (const auto& ip : first.linkLocalIps)
            args.push_back("--link-local-ip=" + ip);
        for (const auto& link : first.links)
            args.push_back("--link=" + link);
        if (!first.macAddress.empty())
            args.push_back("--mac-address=" + first.macAddress);
    }
    args.insert(args.end(), spec.options.begin(), spec.options.end());
    if (spec.entrypointSet)
        args.push_back("--entrypoint=" + (spec.entrypoint.empty() ? std::string() : spec.entrypoint.front()));
    args.push_back(image);
    if (spec.entrypointSet && spec.entrypoint.size() > 1)
        args.insert(args.end(), spec.entrypoint.begin() + 1, spec.entrypoint.end());
    if (spec.commandSet)
        args.insert(args.end(), spec.command.begin(), spec.command.end());
    return args;
}

std::vector<std::string> CreateArgsBuilder::createArgs(const ContainerSpec& spec, const std::string& image,
                                                       const std::string& name)
{
    return build("create", spec, image, name);
}

std::vector<std::string> CreateArgsBuilder::runArgs(const ContainerSpec& spec, const std::string& image,
                                                    const std::string& name)
{
    return build("run", spec, image, name);
}

std::vector<std::string> CreateArgsBuilder::networkConnectArgs(const NetworkEndpoint& endpoint,
                                                               const std::string& container)
{
    std::vector<std::string> args = {"network", "connect"};
    for (const auto& alias : endpoint.aliases)
        args.push_back("--alias=" + alias);
    if (!endpoint.ipv4.empty())
        args.push_back("--ip=" + endpoint.ipv4);
    if (!endpoint.ipv6.empty())
        args.push_back("--ip6=" + endpoint.ipv6);
    for (const auto& ip : endpoint.linkLocalIps)
        args.push_back("--link-local-ip=" + ip);
    for (const auto& link : endpoint.links)
        args.push_back("--link=" + link);
    for (const auto& [key, value] : endpoint.driverOpts)
        args.push_back("--driver-opt=" + key + "=" + value);
    args.push_back(endpoint.network);
    args.push_back(container);
    return args;
}

std::vector<NetworkEndpoint> CreateArgsBuilder::laterNetworks(const ContainerSpec& spec)
{
    if (spec.networks.size() < 2)
        return {};
    return std::vector<NetworkEndpoint>(spec.networks.begin() + 1, spec.networks.end());
}

} // namespace wiretap::backend
