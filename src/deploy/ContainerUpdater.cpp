#include "deploy/ContainerUpdater.h"

#include "backend/BackendError.h"
#include "backend/DockerError.h"
#include "backend/InspectJson.h"
#include "deploy/ContainerMatcher.h"
#include "log/LogFields.h"

#include <Poco/String.h>
#include <Poco/Thread.h>

#include <stdexcept>

namespace wiretap::deploy
{
namespace
{
/// A step failed; carries which one for the report's reason.
class StepFailed : public std::runtime_error
{
public:
    StepFailed(const std::string& step, const std::string& error)
        : std::runtime_error(step + " failed: " + error), step(step)
    {
    }

    std::string step;
};

std::string shortId(const std::string& id)
{
    return id.substr(0, 12);
}
} // namespace

ContainerUpdater::ContainerUpdater(backend::ContainerBackend& backend, const DeploySettings& settings,
                                   Poco::Logger& logger)
    : _backend(backend), _settings(settings), _logger(logger)
{
}

std::string ContainerUpdater::stopSignal(const Poco::JSON::Object::Ptr& inspect,
                                         const backend::ContainerSummary& summary)
{
    const auto label = summary.labels.find(kStopSignalLabel);
    if (label != summary.labels.end() && !Poco::trim(label->second).empty())
        return Poco::trim(label->second);
    if (inspect)
        if (const auto config = backend::inspect::object(*inspect, "Config"))
        {
            const std::string own = backend::inspect::string(*config, "StopSignal");
            if (!own.empty())
                return own;
        }
    return "SIGTERM";
}

int ContainerUpdater::stopTimeout(const Poco::JSON::Object::Ptr& inspect, int fallback)
{
    if (inspect)
        if (const auto config = backend::inspect::object(*inspect, "Config"))
            if (backend::inspect::present(*config, "StopTimeout"))
                return static_cast<int>(backend::inspect::integer(*config, "StopTimeout"));
    return fallback;
}

std::string ContainerUpdater::asideName(const backend::ContainerSummary& summary)
{
    return summary.name + "-wiretap-old-" + shortId(summary.id);
}

bool ContainerUpdater::runsAtOnce(const UpdateTarget& target)
{
    return ContainerMatcher::isRunning(target.summary.state) && target.spec.networks.size() <= 1;
}

std::string ContainerUpdater::createdUnderTheName(const UpdateTarget& target)
{
    // The old container waits aside: a container under the original name is the new one,
    // made by the create or run that failed, unless someone else's took the name meanwhile.
    std::vector<Poco::JSON::Object::Ptr> found;
    try
    {
        found = _backend.inspectContainers({target.summary.name});
    }
    catch (const backend::DockerError& error)
    {
        if (Poco::toLower(error.stderrText()).find("no such") != std::string::npos)
            return "";
        throw;
    }
    if (found.empty() || !found.front())
        return "";
    const std::string id = backend::inspect::string(*found.front(), "Id");
    const auto config = backend::inspect::object(*found.front(), "Config");
    const std::string image = config ? backend::inspect::string(*config, "Image") : "";
    if (id == target.summary.id || image != target.image)
        throw backend::BackendError("container " + shortId(id) + " (" + image + ") holds " +
                                    target.summary.name + " and is not the one wiretap created; left alone");
    log::info(_logger, "New container found", {{"ID", id}, {"Name", target.summary.name}});
    return id;
}

template <typename Step>
void ContainerUpdater::run(ContainerReport& report, const std::string& name, Step&& step)
{
    StepRecord record{name, Poco::Timestamp(), 0, {}};
    try
    {
        step();
        record.micros = record.startedAt.elapsed();
        report.steps.push_back(record);
    }
    catch (const std::exception& exc)
    {
        record.micros = record.startedAt.elapsed();
        record.error = exc.what();
        report.steps.push_back(record);
        throw StepFailed(name, exc.what());
    }
}

void ContainerUpdater::awaitReady(const std::string& id)
{
    // One inspect after deploy.minUptime answers it all in the usual case: the
    // container still runs, never restarted (a crash under a restart policy
    // counts), and is healthy or has no healthcheck. Only a healthcheck that
    // is still starting makes it poll.
    const Poco::Timestamp started;
    Poco::Thread::sleep(static_cast<long>(_settings.minUptime.totalMilliseconds()));
    for (;;)
    {
        const auto inspected = _backend.inspectContainers({id});
        if (inspected.empty() || !inspected.front())
            throw backend::BackendError("the new container disappeared");
        const auto& container = *inspected.front();
        const auto state = backend::inspect::object(container, "State");
        if (!state)
            throw backend::BackendError("the new container has no state");
        const auto restarts = backend::inspect::integer(container, "RestartCount");
        if (restarts > 0)
            throw backend::BackendError("the new container restarted " + std::to_string(restarts) +
                                        " time(s) within deploy.minUptime");
        if (!backend::inspect::boolean(*state, "Running"))
        {
            const std::string error = backend::inspect::string(*state, "Error");
            throw backend::BackendError("the new container is " + backend::inspect::string(*state, "Status") +
                                        " (exit code " +
                                        std::to_string(backend::inspect::integer(*state, "ExitCode")) + ")" +
                                        (error.empty() ? "" : ": " + error));
        }
        const auto health = backend::inspect::object(*state, "Health");
        const std::string status = health ? backend::inspect::string(*health, "Status") : "";
        if (status.empty() || status == "healthy")
            return;
        if (status == "unhealthy")
            throw backend::BackendError("the new container is unhealthy");
        if (started.isElapsed(_settings.healthTimeout.totalMicroseconds()))
            throw backend::BackendError("the new container was not healthy within deploy.healthTimeout (" +
                                        status + ")");
        Poco::Thread::sleep(kPollMilliseconds);
    }
}

void ContainerUpdater::announce(ContainerReport& report, const std::string& step, const StepHook& beforeStep)
{
    if (!beforeStep)
        return;
    try
    {
        beforeStep(step, report);
    }
    catch (const std::exception& exc)
    {
        // Only failures are recorded: a step record per journal write would crowd the report.
        const std::string name = "journal before " + step;
        report.steps.push_back({name, Poco::Timestamp(), 0, exc.what()});
        throw StepFailed(name, exc.what());
    }
}

ContainerReport ContainerUpdater::update(const UpdateTarget& target, const StepHook& beforeStep,
                                         const FinishHook& finished)
{
    ContainerReport report = runSteps(target, beforeStep);
    if (finished)
    {
        try
        {
            finished(report);
        }
        catch (const std::exception& exc)
        {
            log::warning(_logger, "Update end not journaled",
                         {{"Name", report.name}, {"Result", toString(report.result)}, {"Error", exc.what()}});
        }
    }
    return report;
}

ContainerReport ContainerUpdater::runSteps(const UpdateTarget& target, const StepHook& beforeStep)
{
    const auto& summary = target.summary;
    ContainerReport report;
    report.name = summary.name;
    report.oldId = summary.id;
    report.oldImageId = summary.imageId;
    const bool wasRunning = ContainerMatcher::isRunning(summary.state);

    // Nothing is changed before the first step: if it cannot be journaled, stop here.
    try
    {
        announce(report, wasRunning ? "stop" : "rename", beforeStep);
    }
    catch (const StepFailed& failed)
    {
        report.result = ContainerReport::Result::RolledBack;
        report.reason = failed.what();
        log::warning(_logger, "Update not started",
                     {{"Name", summary.name}, {"ID", summary.id}, {"Reason", report.reason}});
        return report;
    }

    // Stop. Nothing is changed yet if this fails, except perhaps a stopped container.
    try
    {
        if (wasRunning)
        {
            const std::string signal = stopSignal(target.inspect, summary);
            const int timeout = stopTimeout(target.inspect, _settings.stopTimeoutSeconds);
            log::info(_logger, "Killing container",
                      {{"ID", summary.id}, {"Name", summary.name}, {"Signal", signal}});
            // Only the label is passed on: otherwise `docker stop` uses the container's own
            // signal (engines before API 1.42 ignore --signal; the backend works around that).
            const bool labelled = summary.labels.count(kStopSignalLabel) > 0;
            run(report, "stop", [&] { _backend.stopContainer(summary.id, labelled ? signal : "", timeout); });
        }
    }
    catch (const StepFailed& failed)
    {
        report.reason = failed.what();
        rollback(target, report, wasRunning, false);
        return report;
    }

    bool renamed = false;
    try
    {
        if (wasRunning)
            announce(report, "rename", beforeStep);
        run(report, "rename", [&] { _backend.renameContainer(summary.id, asideName(summary)); });
        renamed = true;
        // Create and start in one `docker run` when nothing is to be connected before the start.
        const bool atOnce = runsAtOnce(target);
        const std::string create = atOnce ? "run" : "create";
        announce(report, create, beforeStep);
        run(report, create,
            [&]
            {
                report.newId = atOnce ? _backend.runContainer(target.spec, target.image, summary.name)
                                      : _backend.createContainer(target.spec, target.image, summary.name);
            });
        log::info(_logger, "New container created",
                  {{"ID", report.newId}, {"Name", summary.name}, {"Image", target.image}});
        announce(report, "created", beforeStep);
        for (std::size_t i = 1; i < target.spec.networks.size(); ++i)
            run(report, "connect " + target.spec.networks[i].network,
                [&] { _backend.connectNetwork(report.newId, target.spec.networks[i]); });
        if (wasRunning && !atOnce)
        {
            announce(report, "start", beforeStep);
            run(report, "start", [&] { _backend.startContainer(report.newId); });
        }
        if (wasRunning)
            run(report, "wait", [&] { awaitReady(report.newId); });
        announce(report, "remove", beforeStep);
        log::info(_logger, "Removing container", {{"ID", summary.id}});
        run(report, "remove", [&] { _backend.removeContainer(summary.id, true, false); });
    }
    catch (const StepFailed& failed)
    {
        report.reason = failed.what();
        log::warning(_logger, "Update failed, rolling back",
                     {{"Name", summary.name}, {"Step", failed.step}, {"Error", failed.what()}});
        // A create or run that failed (or timed out) may still have made the new container.
        const bool mayHaveCreated = report.newId.empty() && (failed.step == "create" || failed.step == "run");
        rollback(target, report, wasRunning, renamed, mayHaveCreated);
        return report;
    }
    report.result = ContainerReport::Result::Updated;
    return report;
}

void ContainerUpdater::rollback(const UpdateTarget& target, ContainerReport& report, bool wasRunning,
                                bool renamed, bool mayHaveCreated)
{
    const auto& summary = target.summary;
    report.result = ContainerReport::Result::RolledBack;
    try
    {
        if (mayHaveCreated)
            run(report, "rollback: find new", [&] { report.newId = createdUnderTheName(target); });
        if (!report.newId.empty())
            run(report, "rollback: remove new", [&] { _backend.removeContainer(report.newId, true, false); });
        if (renamed)
            run(report, "rollback: rename back", [&] { _backend.renameContainer(summary.id, summary.name); });
        if (wasRunning)
            run(report, "rollback: start old", [&] { _backend.startContainer(summary.id); });
        log::warning(_logger, "Rolled back",
                     {{"Name", summary.name}, {"ID", summary.id}, {"Reason", report.reason}});
    }
    catch (const StepFailed& failed)
    {
        report.result = ContainerReport::Result::Failed;
        report.reason += "; " + std::string(failed.what());
        log::error(_logger, "Rollback failed",
                   {{"Name", summary.name}, {"ID", summary.id}, {"Error", report.reason}});
    }
}

} // namespace wiretap::deploy
