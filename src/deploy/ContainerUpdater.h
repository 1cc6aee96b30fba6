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
/// the old one. If any step after the stop fails, the new container is
/// removed, the old one renamed back and started again if it was running.
/// Anonymous volumes are never removed: the new container has them now.
class ContainerUpdater
{
public:
    /// Called before each step that changes something — "stop" (running
    /// containers only), "rename", "create", "start" (running only), "remove" —
    /// and with "created" right after the create, once `progress.newId` is
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

private:
    /// Waits deploy.minUptime, then until the new container is healthy (at
    /// once without a healthcheck); throws when it exited, restarted, became
    /// unhealthy or deploy.healthTimeout passed.
    void awaitReady(const std::string& id);
    ContainerReport runSteps(const UpdateTarget& target, const StepHook& beforeStep);
    /// Calls `beforeStep`; a failure becomes a StepFailed named after the step.
    static void announce(ContainerReport& report, const std::string& step, const StepHook& beforeStep);
    void rollback(const UpdateTarget& target, ContainerReport& report, bool wasRunning, bool renamed);

    template <typename Step> void run(ContainerReport& report, const std::string& name, Step&& step);

    backend::ContainerBackend& _backend;
    const DeploySettings& _settings;
    Poco::Logger& _logger;
};

} // namespace wiretap::deploy
