#pragma once

#include "backend/DockerCli.h"
#include "backend/ProcessRunner.h"
#include "config/DockerHostList.h"
#include "deploy/HostFleet.h"
#include "metrics/Metrics.h"

#include <memory>
#include <string>
#include <vector>

namespace wiretap::app
{

/// The docker CLI of every configured host, each docker process counted in
/// wiretap_docker_calls_total (with a `host` label when docker.hosts names the hosts), and the
/// start-up rule for their engines.
class DockerHosts
{
public:
    /// `metrics` may be null (no counting); it must outlive this.
    DockerHosts(config::DockerHostList list, metrics::Metrics* metrics);

    const config::DockerHostList& list() const { return _list; }
    /// The hosts, for deploy::HostFleet, in configuration order.
    std::vector<deploy::HostFleet::Host> fleetHosts() const;
    /// The CLI of the host named `name`; null when there is none.
    backend::DockerCli* find(const std::string& name) const;

    /// Asks every engine (hosts in parallel) and logs who answered. Returns the answers, and in
    /// `fatal` why wiretap cannot start (exit 69): the one implicit host did not answer (docker's
    /// words, as before hosts existed), or none of the named hosts did. Named hosts that did not
    /// answer while another did are logged as warnings; their deploys fail until they answer.
    std::vector<deploy::HostFleet::EngineStatus> checkEngines(std::string& fatal) const;

private:
    config::DockerHostList _list;
    backend::ProcessRunner _processes;
    std::vector<std::unique_ptr<backend::DockerCli>> _clis;
};

} // namespace wiretap::app
