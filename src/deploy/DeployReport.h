#pragma once

#include <Poco/JSON/Object.h>
#include <Poco/Timestamp.h>

#include <string>
#include <vector>

namespace wiretap::deploy
{

/// One step of one container's update, timed.
struct StepRecord
{
    std::string step; ///< inspect, stop, rename, create, connect, start, wait, remove, rollback, ...
    Poco::Timestamp startedAt;
    Poco::Timestamp::TimeDiff micros = 0;
    std::string error; ///< empty when it succeeded
};

/// What happened to one container.
struct ContainerReport
{
    enum class Result
    {
        Updated,    ///< runs the new image
        UpToDate,   ///< already ran it: not touched
        Skipped,    ///< left alone (label, stopped, pinned, rollout stopped, dry run)
        RolledBack, ///< the update failed; the old container is back as it was
        Failed      ///< the update failed and could not be fully rolled back
    };

    std::string host; ///< the docker host's name (DeployReport::HostReport::name)
    std::string name;
    std::string oldId;
    std::string oldImageId;
    std::string newId;
    Result result = Result::Skipped;
    std::string reason;
    std::vector<StepRecord> steps;
};

/// What happened to one Swarm service. Swarm itself rolls the service out (its update_config);
/// wiretap asks for the update, waits for the outcome, and rolls back a failed update that
/// Swarm's own failure action did not already roll back.
struct ServiceReport
{
    enum class Result
    {
        Updated,    ///< converged on the pushed digest
        UpToDate,   ///< already on the pushed digest: not touched
        Skipped,    ///< left alone (label, dry run)
        RolledBack, ///< the update failed and the service is back on its previous spec
        Failed      ///< the update failed and was not (fully) rolled back
    };

    std::string host; ///< the docker host's name (DeployReport::HostReport::name)
    std::string name;
    std::string id;
    std::string oldImage; ///< Spec.TaskTemplate.ContainerSpec.Image before
    std::string newImage; ///< what the update asked for: repo:tag@sha256:...
    Result result = Result::Skipped;
    std::string reason;
    std::string rolledBackBy; ///< "swarm" (its failure action) or "wiretap"; empty unless rolled back
    Poco::Timestamp startedAt;
    Poco::Timestamp::TimeDiff micros = 0;
};

/// The outcome of one deploy of one image.
struct DeployReport
{
    enum class Result
    {
        Updated,    ///< at least one container updated, none failed
        UpToDate,   ///< every matching container already ran the image
        NoMatch,    ///< no container runs the image: nothing done, not even a pull
        RolledBack, ///< a container's update failed and was rolled back
        Failed,     ///< the pull failed, or a rollback did not complete
        DryRun      ///< only planned
    };

    /// One docker host's part of the deploy.
    struct HostReport
    {
        std::string name;
        Result result = Result::NoMatch;
        std::string error; ///< why the host failed (unreachable engine, failed pull, ...)
        std::string newImageId;
        std::size_t dockerCalls = 0;
    };

    std::string id;
    std::string image; ///< registry/repository:tag
    std::string digest;
    std::string newImageId;
    Poco::Timestamp startedAt;
    Poco::Timestamp finishedAt;
    Result result = Result::NoMatch;
    std::string error;
    std::vector<ContainerReport> containers; ///< of every host
    std::vector<ServiceReport> services;     ///< of every host that is a Swarm manager
    std::vector<HostReport> hosts;           ///< one per docker host, in configuration order
    std::size_t dockerCalls = 0;             ///< of every host
    /// Not a deploy that ran now: what start-up recovery did to the containers and Swarm
    /// services of the interrupted deploy `id` (CrashRecovery, ServiceRecovery).
    bool recovery = false;

    Poco::JSON::Object::Ptr toJson() const;
    /// Success for a completion notice: updated, up to date, or nothing to do.
    bool succeeded() const;
};

std::string toString(DeployReport::Result result);
std::string toString(ContainerReport::Result result);
std::string toString(ServiceReport::Result result);

} // namespace wiretap::deploy
