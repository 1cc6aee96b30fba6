#pragma once

#include "backend/ContainerBackend.h"
#include "deploy/DeployReport.h"
#include "deploy/DeploySettings.h"

#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>

#include <functional>
#include <string>

namespace wiretap::deploy
{

/// A container to recreate, with what was read of it before anything changed.
struct UpdateTarget
{
    backend::ContainerSummary summary;
    Poco::JSON::Object::Ptr inspect; ///< `docker container inspect` of it
    backend::ContainerSpec spec;
    std::string image; ///< the reference to create the new container from (its Config.Image)
    /// Not on the pushed image: recreated because it needs an updated container.
    bool dependent = false;
};

/// One container's safe update: stop → rename aside → create under the
/// original name → connect networks → start → wait (uptime, health) → remove
/// the old one; create and start are one `docker run` for a running container
/// with one network or none. If any step after the stop fails, the new
/// container is removed (found by the original name when a failed create or run
/// may have made it), the old one renamed back and started again if it was running.
/// Anonymous volumes are never removed: the new container has them now.
class ContainerUpdater
{
public:
    /// Called before each step that changes something — "stop" (running
    /// containers only), "rename", "create" and "start" (running only) or
    /// "run" (running containers with one network or none), "remove" —
    /// and with "created" right after the create or run, once `progress.newId` is
    /// known; the journal hooks in here. Throwing stops the update before the
    /// step: nothing at all is done when the first call throws, else what was
    /// done is rolled back.
    using StepHook = std::function<void(const std::string& step, const ContainerReport& progress)>;
    /// Called once the update ended (updated, rolled back or failed) with its
    /// report. What it throws is logged and ignored.
    using FinishHook = std::function<void(const ContainerReport& report)>;

    static constexpr const char* kStopSignalLabel = "wiretap.stop-signal";
    static constexpr long kPollMilliseconds = 500;

    ContainerUpdater(backend::ContainerBackend& backend, const DeploySettings& settings,
                     Poco::Logger& logger);

    ContainerReport update(const UpdateTarget& target, const StepHook& beforeStep = {},
                           const FinishHook& finished = {});

    /// The signal to stop `inspect`ed container with: label wiretap.stop-signal,
    /// else its StopSignal, else SIGTERM.
    static std::string stopSignal(const Poco::JSON::Object::Ptr& inspect,
                                  const backend::ContainerSummary& summary);
    /// Its own stop timeout (Config.StopTimeout), else `fallback`.
    static int stopTimeout(const Poco::JSON::Object::Ptr& inspect, int fallback);
    /// The name the old container waits under while the new one starts.
    static std::string asideName(const backend::ContainerSummary& summary);
    /// Whether the new container is made by one `docker run`: the old one runs and the new one
    /// needs no `network connect` before it starts.
    static bool runsAtOnce(const UpdateTarget& target);

private:
    /// Waits deploy.minUptime, then until the new container is healthy (at
    /// once without a healthcheck); throws when it exited, restarted, became
    /// unhealthy or deploy.healthTimeout passed.
    void awaitReady(const std::string& id);
    ContainerReport runSteps(const UpdateTarget& target, const StepHook& beforeStep);
    /// Calls `beforeStep`; a failure becomes a StepFailed named after the step.
    static void announce(ContainerReport& report, const std::string& step, const StepHook& beforeStep);
    /// `mayHaveCreated`: a create or run failed, so the new container's id is unknown, and it
    /// may exist all the same; it is looked for under the original name.
    void rollback(const UpdateTarget& target, ContainerReport& report, bool wasRunning, bool renamed,
                  bool mayHaveCreated = false);
    /// The id of the container under the original name, "" when there is none; throws when it is
    /// the old one or was not created from the target's image (not wiretap's to remove).
    std::string createdUnderTheName(const UpdateTarget& target);

    template <typename Step> void run(ContainerReport& report, const std::string& name, Step&& step);

    backend::ContainerBackend& _backend;
    const DeploySettings& _settings;
    Poco::Logger& _logger;
};

} // namespace wiretap::deploy
