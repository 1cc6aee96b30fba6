#pragma once

#include <Poco/Timespan.h>
#include <Poco/Util/AbstractConfiguration.h>

#include <cstddef>

namespace wiretap::deploy
{

/// How redeploys run (`deploy.*`), validated.
struct DeploySettings
{
    enum class Strategy
    {
        Rolling, ///< one container at a time
        Parallel ///< up to `parallelism` at a time
    };

    /// Only containers labelled `wiretap.enable=true` are touched.
    bool labelEnable = false;
    /// Stopped containers are recreated too (and left stopped).
    bool includeStopped = false;
    /// Seconds a container gets to stop when it sets no stop timeout of its own.
    int stopTimeoutSeconds = 10;
    /// The new container must keep running this long before the old one is removed.
    Poco::Timespan minUptime = Poco::Timespan(5, 0);
    /// Time allowed for the new container to start and, with a healthcheck, become healthy.
    Poco::Timespan healthTimeout = Poco::Timespan(60, 0);
    Strategy strategy = Strategy::Rolling;
    std::size_t parallelism = 1;
    /// After a rollback: skip the rest of the rollout (true) or go on (false).
    bool stopOnFailure = true;
    /// Remove the old image after a successful deploy when no container uses it.
    bool cleanup = false;
    /// Deploys of different images running at once.
    std::size_t maxConcurrent = 2;
    /// Deploys waiting (distinct images) before webhooks are refused with 503.
    std::size_t maxWaiting = 1000;
    /// Log and report the plan without changing anything.
    bool dryRun = false;
    /// Time a Swarm service's update (and then a rollback wiretap asks for) has to converge.
    Poco::Timespan serviceTimeout = Poco::Timespan(300, 0);
    /// How often a Swarm service's update status is read while waiting (no key: tests shorten it).
    Poco::Timespan servicePollInterval = Poco::Timespan(1, 0);

    /// Throws config::ConfigError naming the key.
    static DeploySettings fromConfig(const Poco::Util::AbstractConfiguration& config);
};

} // namespace wiretap::deploy
