#pragma once

#include "config/DockerSettings.h"

#include <Poco/Util/AbstractConfiguration.h>

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace wiretap::config
{

/// One docker engine wiretap deploys on, with how its CLI reaches it.
struct DockerHost
{
    std::string name; ///< as listed in docker.hosts; "default" for the one implicit host
    DockerSettings docker;
};

/// The docker hosts of `docker.hosts`, validated:
///
///     docker.hosts = web1, web2
///     docker.hosts.web1.url = unix:///var/run/docker.sock
///     docker.hosts.web2.url = tcp://10.0.0.2:2376     (+ tlsVerify, tlsCert, tlsKey, tlsCaCert)
///     docker.hostParallelism = 4
///
/// Unset (or empty), there is one host named "default", read by DockerSettings::fromConfig
/// exactly as before hosts existed (docker.host, DOCKER_HOST, the seed's TLS variables).
/// Set, every listed name needs a `url`; the seed's DOCKER_HOST and TLS variables are ignored
/// (and emptied for the CLI), and `docker.host` or `docker.tls*` in the file or on the command
/// line are an error, since they would silently not apply.
struct DockerHostList
{
    static constexpr const char* kDefaultName = "default";

    std::vector<DockerHost> hosts; ///< in configuration order, never empty
    std::size_t parallelism = 4;   ///< hosts deployed on at the same time (`docker.hostParallelism`)
    bool named = false;            ///< true when docker.hosts lists them
    std::vector<std::string> ignoredVariables; ///< the seed's DOCKER_* variables a list ignores

    /// Throws ConfigError naming the key: a bad or repeated name, a missing or unknown-scheme
    /// url, missing TLS files, `docker.hosts.<name>.*` for a name not listed.
    static DockerHostList fromConfig(const Poco::Util::AbstractConfiguration& config,
                                     const std::map<std::string, std::string>& env,
                                     const std::set<std::string>& commandLineKeys = {});

    /// Whether `name` can be a host's name: letters, digits, '-' and '_', starting with a letter
    /// or digit, at most 63 characters (it becomes a key segment, a label and a log field).
    static bool validName(const std::string& name);
};

} // namespace wiretap::config
