#include "backend/DockerCli.h"

#include "backend/CreateArgsBuilder.h"
#include "backend/DockerError.h"
#include "backend/InspectJson.h"
#include "backend/ShellQuote.h"
#include "backend/SwarmInspectParser.h"

#include <Poco/Clock.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <Poco/Thread.h>

#include <cstdlib>
#include <set>

namespace wiretap::backend
{
namespace
{

/// True when every line of stderr says an object does not exist (the rest were inspected).
bool onlyMissingObjects(const std::string& stderrText)
{
    Poco::StringTokenizer lines(stderrText, "\n",
                                Poco::StringTokenizer::TOK_IGNORE_EMPTY | Poco::StringTokenizer::TOK_TRIM);
    if (lines.count() == 0)
        return false;
    for (const auto& line : lines)
        if (Poco::toLower(line).find("no such") == std::string::npos)
            return false;
    return true;
}

} // namespace

DockerCli::DockerCli(const config::DockerSettings& settings, ProcessRunner& runner,
                     Poco::Timespan pollInterval)
    : _settings(settings), _runner(runner), _pollInterval(pollInterval),
      _logger(Poco::Logger::get("wiretap.docker")), _swarmRole(std::make_shared<SwarmRole>())
{
}

std::unique_ptr<ContainerBackend> DockerCli::counting(std::atomic<std::size_t>& calls)
{
    auto view = std::make_unique<DockerCli>(_settings, _runner, _pollInterval);
    view->_observer = _observer;
    view->_calls = &calls;
    view->_swarmRole = _swarmRole;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        view->_serverApiVersion = _serverApiVersion;
    }
    return view;
}

std::vector<std::string> DockerCli::commandLine(const std::vector<std::string>& args) const
{
    std::vector<std::string> argv = {_settings.binary};
    argv.insert(argv.end(), _settings.globalArgs.begin(), _settings.globalArgs.end());
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
}

ProcessResult DockerCli::runDocker(const std::vector<std::string>& args, Poco::Timespan timeout)
{
    std::vector<std::string> full = _settings.globalArgs;
    full.insert(full.end(), args.begin(), args.end());
    if (_logger.debug())
        _logger.debug("running " + shellJoin(DockerError::maskSecrets(commandLine(args))));
    if (_calls)
        ++*_calls;
    const Poco::Clock started;
    ProcessResult result;
    try
    {
        result = _runner.run(_settings.binary, full, _settings.childEnvironment, timeout);
    }
    catch (...)
    {
        if (_observer)
            _observer(verbOf(args), "error", Poco::Timespan(started.elapsed()));
        throw;
    }
    if (_observer)
        _observer(verbOf(args),
                  result.timedOut        ? "timeout"
                  : result.exitCode == 0 ? "ok"
                                         : "error",
                  Poco::Timespan(started.elapsed()));
    if (_logger.debug())
        _logger.debug("docker " + (args.empty() ? std::string() : args.front()) + " exit=" +
                      std::to_string(result.exitCode) + " ms=" + std::to_string(started.elapsed() / 1000));
    return result;
}

std::string DockerCli::verbOf(const std::vector<std::string>& args)
{
    static const std::set<std::string> management = {"container", "image", "network", "volume",
                                                     "service",   "swarm", "system",  "node"};
    if (args.empty())
        return "";
    if (management.count(args[0]) && args.size() > 1)
        return args[0] + " " + args[1];
    return args[0];
}

std::string DockerCli::call(const std::vector<std::string>& args)
{
    return call(args, _settings.timeout);
}

std::string DockerCli::call(const std::vector<std::string>& args, Poco::Timespan timeout)
{
    const ProcessResult result = runDocker(args, timeout);
    if (result.timedOut || result.exitCode != 0)
        throw DockerError(commandLine(args), result.exitCode, result.err, result.timedOut);
    return result.out;
}

std::vector<Poco::JSON::Object::Ptr>
DockerCli::inspect(const std::string& kind, const std::vector<std::string>& names, bool tolerateMissing)
{
    if (names.empty())
        return {};
    std::vector<std::string> args = {kind, "inspect"};
    args.insert(args.end(), names.begin(), names.end());
    const ProcessResult result = runDocker(args, _settings.timeout);
    const bool partial =
        tolerateMissing && !result.timedOut && result.exitCode == 1 && onlyMissingObjects(result.err);
    if (result.timedOut || (result.exitCode != 0 && !partial))
        throw DockerError(commandLine(args), result.exitCode, result.err, result.timedOut);
    try
    {
        return inspect::parseArray(result.out);
    }
    catch (const BackendError& e)
    {
        throw DockerError(commandLine(args), result.exitCode, e.what());
    }
}

std::vector<Poco::JSON::Object::Ptr> DockerCli::inspectContainers(const std::vector<std::string>& containers)
{
    return inspect("container", containers, false);
}

std::vector<Poco::JSON::Object::Ptr> DockerCli::inspectImages(const std::vector<std::string>& images)
{
    return inspect("image", images, false);
}

std::vector<ContainerSummary> DockerCli::listContainers()
{
    // `ps` does not show image ids: list the ids, then inspect them all in one call. A container
    // removed in between is simply left out.
    Poco::StringTokenizer ids(call({"container", "ls", "--all", "--quiet", "--no-trunc"}), "\n",
                              Poco::StringTokenizer::TOK_IGNORE_EMPTY | Poco::StringTokenizer::TOK_TRIM);
    std::vector<ContainerSummary> result;
    for (const auto& item : inspect("container", std::vector<std::string>(ids.begin(), ids.end()), true))
    {
        ContainerSummary summary;
        summary.id = inspect::string(*item, "Id");
        summary.name = inspect::string(*item, "Name");
        if (!summary.name.empty() && summary.name.front() == '/')
            summary.name.erase(0, 1);
        summary.imageId = inspect::string(*item, "Image");
        summary.inspect = item;
        if (const auto config = inspect::object(*item, "Config"))
        {
            summary.image = inspect::string(*config, "Image");
            summary.labels = inspect::stringMap(*config, "Labels");
        }
        if (const auto state = inspect::object(*item, "State"))
            summary.state = inspect::string(*state, "Status");
        result.push_back(summary);
    }
    return result;
}

PulledImage DockerCli::pullImage(const std::string& reference)
{
    call({"image", "pull", "--quiet", reference}, _settings.pullTimeout);
    const auto images = inspectImages({reference});
    if (images.empty() || !images.front())
        throw BackendError("docker pulled " + reference + " but cannot inspect it");
    return {inspect::string(*images.front(), "Id"), inspect::strings(*images.front(), "RepoDigests")};
}

void DockerCli::stopContainer(const std::string& container, const std::string& signal, int timeoutSeconds)
{
    if (!signal.empty() && !engineTakesStopSignal())
    {
        stopWithKill(container, signal, timeoutSeconds);
        return;
    }
    std::vector<std::string> args = {"container", "stop"};
    if (!signal.empty())
        args.push_back("--signal=" + signal);
    if (timeoutSeconds >= 0)
        args.insert(args.end(),
                    {"-t", std::to_string(timeoutSeconds)}); // --time before CLI 23, --timeout after
    args.push_back(container);
    // The engine waits up to the stop timeout before killing: give the call that much more.
    const int grace = timeoutSeconds >= 0 ? timeoutSeconds : 60;
    call(args, _settings.timeout + Poco::Timespan(grace, 0));
}

bool DockerCli::engineTakesStopSignal()
{
    std::string api;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        api = _serverApiVersion;
    }
    if (api.empty())
        api = versions().serverApiVersion;
    const auto dot = api.find('.');
    if (dot == std::string::npos)
        return true;
    const int major = std::atoi(api.substr(0, dot).c_str());
    const int minor = std::atoi(api.substr(dot + 1).c_str());
    return major > 1 || (major == 1 && minor >= 42);
}

void DockerCli::stopWithKill(const std::string& container, const std::string& signal, int timeoutSeconds)
{
    auto notRunning = [](const std::string& stderrText)
    {
        const std::string text = Poco::toLower(stderrText);
        return text.find("is not running") != std::string::npos ||
               text.find("no such container") != std::string::npos;
    };
    try
    {
        call({"container", "kill", "--signal=" + signal, container});
    }
    catch (const DockerError& e)
    {
        if (notRunning(e.stderrText()))
            return;
        throw;
    }
    const int grace = timeoutSeconds >= 0 ? timeoutSeconds : 10;
    const std::vector<std::string> wait = {"container", "wait", container};
    const ProcessResult waited = runDocker(wait, Poco::Timespan(grace, 0));
    if (!waited.timedOut && waited.exitCode != 0 && !notRunning(waited.err))
        throw DockerError(commandLine(wait), waited.exitCode, waited.err);
    // Still running, or restarted by its restart policy (a signal other than its own stop
    // signal does not cancel that): `stop -t 0` cancels the policy and kills what is left.
    try
    {
        call({"container", "stop", "-t", "0", container});
    }
    catch (const DockerError& e)
    {
        if (!notRunning(e.stderrText()))
            throw;
    }
}

void DockerCli::killContainer(const std::string& container, const std::string& signal)
{
    std::vector<std::string> args = {"container", "kill"};
    if (!signal.empty())
        args.push_back("--signal=" + signal);
    args.push_back(container);
    call(args);
}

void DockerCli::renameContainer(const std::string& container, const std::string& newName)
{
    call({"container", "rename", container, newName});
}

void DockerCli::removeContainer(const std::string& container, bool force, bool removeVolumes)
{
    std::vector<std::string> args = {"container", "rm"};
    if (force)
        args.push_back("--force");
    if (removeVolumes)
        args.push_back("--volumes");
    args.push_back(container);
    call(args);
}

std::string DockerCli::createContainer(const ContainerSpec& spec, const std::string& image,
                                       const std::string& name)
{
    return containerIdOf(CreateArgsBuilder::createArgs(spec, image, name));
}

std::string DockerCli::runContainer(const ContainerSpec& spec, const std::string& image,
                                    const std::string& name)
{
    return containerIdOf(CreateArgsBuilder::runArgs(spec, image, name));
}

std::string DockerCli::containerIdOf(const std::vector<std::string>& args)
{
    const std::string id = Poco::trim(call(args));
    if (id.empty() || id.find_first_of(" \n") != std::string::npos)
        throw DockerError(commandLine(args), 0,
                          "docker " + args.front() + " printed no container id: '" + id + "'");
    return id;
}

void DockerCli::connectNetwork(const std::string& container, const NetworkEndpoint& endpoint)
{
    call(CreateArgsBuilder::networkConnectArgs(endpoint, container));
}

void DockerCli::startContainer(const std::string& container)
{
    call({"container", "start", container});
}

void DockerCli::waitUntilRunning(const std::string& container, Poco::Timespan timeout)
{
    waitFor(container, timeout, false);
}

void DockerCli::waitUntilHealthy(const std::string& container, Poco::Timespan timeout)
{
    waitFor(container, timeout, true);
}

void DockerCli::waitFor(const std::string& container, Poco::Timespan timeout, bool healthy)
{
    const Poco::Clock started;
    std::string last = "not inspected yet";
    for (;;)
    {
        const auto items = inspectContainers({container});
        const auto state =
            items.empty() ? Poco::JSON::Object::Ptr() : inspect::object(*items.front(), "State");
        if (!state)
            throw BackendError("container " + container + " has no State in docker inspect");
        const std::string status = inspect::string(*state, "Status");
        const auto health = inspect::object(*state, "Health");
        const std::string healthStatus = health ? inspect::string(*health, "Status") : "";
        if (status == "exited" || status == "dead")
            throw BackendError(
                "container " + container + " " + status + " with status " +
                std::to_string(inspect::integer(*state, "ExitCode")) +
                (inspect::string(*state, "Error").empty() ? "" : ": " + inspect::string(*state, "Error")));
        const bool running = inspect::boolean(*state, "Running") && !inspect::boolean(*state, "Restarting");
        if (running && (!healthy || healthStatus.empty() || healthStatus == "healthy"))
            return;
        if (running && healthStatus == "unhealthy")
        {
            std::string output;
            const auto log =
                health ? inspect::objects(*health, "Log") : std::vector<Poco::JSON::Object::Ptr>();
            if (!log.empty())
                output = Poco::trim(inspect::string(*log.back(), "Output"));
            throw BackendError("container " + container + " is unhealthy" +
                               (output.empty() ? "" : ": " + output));
        }
        last = status + (healthStatus.empty() ? "" : "/" + healthStatus);
        if (started.elapsed() >= timeout.totalMicroseconds())
            throw BackendError("container " + container + " did not become " +
                               (healthy ? "healthy" : "running") + " within " +
                               std::to_string(timeout.totalSeconds()) + "s (last state: " + last + ")");
        Poco::Thread::sleep(static_cast<long>(_pollInterval.totalMilliseconds()));
    }
}

void DockerCli::removeImage(const std::string& image, bool force)
{
    std::vector<std::string> args = {"image", "rm"};
    if (force)
        args.push_back("--force");
    args.push_back(image);
    call(args);
}

DockerVersions DockerCli::versions()
{
    const std::vector<std::string> args = {"version", "--format", "{{json .}}"};
    const std::string out = call(args);
    Poco::JSON::Object::Ptr root;
    try
    {
        root = inspect::parseArray("[" + out + "]").at(0);
    }
    catch (const std::exception& e)
    {
        throw DockerError(commandLine(args), 0, std::string("unreadable output: ") + e.what());
    }
    DockerVersions versions;
    if (const auto client = inspect::object(*root, "Client"))
    {
        versions.clientVersion = inspect::string(*client, "Version");
        versions.clientApiVersion = inspect::string(*client, "ApiVersion");
    }
    if (const auto server = inspect::object(*root, "Server"))
    {
        versions.serverVersion = inspect::string(*server, "Version");
        versions.serverApiVersion = inspect::string(*server, "ApiVersion");
        versions.serverMinApiVersion = inspect::string(*server, "MinAPIVersion");
    }
    std::lock_guard<std::mutex> lock(_mutex);
    _serverApiVersion = versions.serverApiVersion;
    return versions;
}

bool DockerCli::isSwarmManager()
{
    std::lock_guard<std::mutex> lock(_swarmRole->mutex);
    if (_swarmRole->known &&
        !_swarmRole->checkedAt.isElapsed(Poco::Timespan(kSwarmRoleTtlSeconds, 0).totalMicroseconds()))
        return _swarmRole->manager;
    const std::vector<std::string> args = {"info", "--format", "{{json .Swarm}}"};
    const std::string out = call(args);
    try
    {
        _swarmRole->manager =
            SwarmInspectParser::isActiveManager(*inspect::parseArray("[" + out + "]").at(0));
    }
    catch (const std::exception& e)
    {
        throw DockerError(commandLine(args), 0, std::string("unreadable output: ") + e.what());
    }
    _swarmRole->known = true;
    _swarmRole->checkedAt.update();
    return _swarmRole->manager;
}

std::vector<ServiceSummary> DockerCli::listServices()
{
    Poco::StringTokenizer ids(call({"service", "ls", "--quiet"}), "\n",
                              Poco::StringTokenizer::TOK_IGNORE_EMPTY | Poco::StringTokenizer::TOK_TRIM);
    const std::vector<std::string> names(ids.begin(), ids.end());
    std::vector<ServiceSummary> services;
    for (const auto& item : inspect("service", names, true)) // one removed meanwhile is left out
        services.push_back(SwarmInspectParser::service(*item));
    return services;
}

ServiceSummary DockerCli::inspectService(const std::string& service)
{
    const auto items = inspect("service", {service}, false);
    if (items.empty())
        throw BackendError("docker service inspect " + service + " printed no service");
    return SwarmInspectParser::service(*items.front());
}

void DockerCli::updateServiceImage(const std::string& service, const std::string& image)
{
    call({"service", "update", "--detach", "--image", image, "--with-registry-auth", service});
}

void DockerCli::rollbackService(const std::string& service)
{
    call({"service", "rollback", "--detach", service});
}

} // namespace wiretap::backend
