#include "app/DockerHosts.h"

#include "log/LogFields.h"

#include <Poco/Logger.h>

#include <algorithm>

namespace wiretap::app
{

DockerHosts::DockerHosts(config::DockerHostList list, metrics::Metrics* metrics) : _list(std::move(list))
{
    for (const auto& host : _list.hosts)
    {
        auto cli = std::make_unique<backend::DockerCli>(host.docker, _processes);
        if (metrics)
        {
            metrics::Labels hostLabel;
            if (_list.named)
                hostLabel.emplace_back("host", host.name);
            cli->setCallObserver(
                [metrics, hostLabel](const std::string& verb, const std::string& result, Poco::Timespan)
                {
                    metrics::Labels labels = hostLabel;
                    labels.insert(labels.end(), {{"verb", verb}, {"result", result}});
                    metrics->increment("wiretap_docker_calls_total", labels);
                });
        }
        _clis.push_back(std::move(cli));
    }
}

std::vector<deploy::HostFleet::Host> DockerHosts::fleetHosts() const
{
    std::vector<deploy::HostFleet::Host> hosts;
    for (std::size_t i = 0; i < _clis.size(); ++i)
        hosts.push_back({_list.hosts[i].name, *_clis[i]});
    return hosts;
}

backend::DockerCli* DockerHosts::find(const std::string& name) const
{
    for (std::size_t i = 0; i < _clis.size(); ++i)
        if (_list.hosts[i].name == name)
            return _clis[i].get();
    return nullptr;
}

std::vector<deploy::HostFleet::EngineStatus> DockerHosts::checkEngines(std::string& fatal) const
{
    auto& logger = Poco::Logger::get("wiretap");
    for (const auto& variable : _list.ignoredVariables)
        log::warning(logger, "Environment variable ignored: docker.hosts lists the hosts",
                     {{"Variable", variable}});
    const auto engines = deploy::HostFleet::checkEngines(fleetHosts(), _list.parallelism);
    fatal.clear();
    if (!_list.named)
    {
        if (!engines.front().reachable)
            fatal = engines.front().error;
    }
    else if (std::none_of(engines.begin(), engines.end(),
                          [](const auto& engine) { return engine.reachable; }))
    {
        for (const auto& engine : engines)
            fatal += (fatal.empty() ? "no docker host answers: " : "; ") + engine.host + ": " + engine.error;
    }
    for (const auto& engine : engines)
    {
        log::Fields fields;
        if (_list.named)
            fields.push_back({"Host", engine.host});
        if (engine.reachable)
        {
            fields.insert(fields.end(), {{"Client", engine.versions.clientVersion},
                                         {"Server", engine.versions.serverVersion},
                                         {"API", engine.versions.serverApiVersion}});
            log::info(logger, "Docker engine reachable", fields);
        }
        else if (fatal.empty())
        {
            fields.push_back({"Error", engine.error});
            log::warning(logger, "Docker engine unreachable; its deploys fail until it answers", fields);
        }
    }
    return engines;
}

} // namespace wiretap::app
