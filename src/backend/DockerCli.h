#pragma once

#include "backend/ContainerBackend.h"
#include "backend/ProcessRunner.h"
#include "config/DockerSettings.h"

#include <Poco/Logger.h>

#include <Poco/Timestamp.h>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace wiretap::backend
{

/// ContainerBackend on top of the docker CLI: every call is one `docker` process run from an
/// argv (binary, global flags and environment from DockerSettings). A non-zero exit, a timeout
/// or unreadable output throws DockerError with the masked command and docker's stderr.
class DockerCli : public ContainerBackend
{
public:
    DockerCli(const config::DockerSettings& settings, ProcessRunner& runner,
              Poco::Timespan pollInterval = Poco::Timespan(0, 200000));

    std::vector<ContainerSummary> listContainers() override;
    std::vector<Poco::JSON::Object::Ptr>
    inspectContainers(const std::vector<std::string>& containers) override;
    std::vector<Poco::JSON::Object::Ptr> inspectImages(const std::vector<std::string>& images) override;
    PulledImage pullImage(const std::string& reference) override;
    /// `docker container stop`. Engines before API 1.42 silently ignore `--signal`: for them the
    /// signal is sent with `docker kill --signal`, the container gets `timeoutSeconds` (10 when
    /// < 0) to exit, then `docker stop -t 0` ends it and cancels its restart policy.
    void stopContainer(const std::string& container, const std::string& signal, int timeoutSeconds) override;
    void killContainer(const std::string& container, const std::string& signal) override;
    void renameContainer(const std::string& container, const std::string& newName) override;
    void removeContainer(const std::string& container, bool force, bool removeVolumes) override;
    std::string createContainer(const ContainerSpec& spec, const std::string& image,
                                const std::string& name) override;
    /// `docker run -d` with the arguments of createContainer.
    std::string runContainer(const ContainerSpec& spec, const std::string& image,
                             const std::string& name) override;
    void connectNetwork(const std::string& container, const NetworkEndpoint& endpoint) override;
    void startContainer(const std::string& container) override;
    void waitUntilRunning(const std::string& container, Poco::Timespan timeout) override;
    void waitUntilHealthy(const std::string& container, Poco::Timespan timeout) override;
    void removeImage(const std::string& image, bool force) override;
    DockerVersions versions() override;
    /// `docker info --format '{{json .Swarm}}'`, asked at most once per kSwarmRoleTtl by this
    /// DockerCli and its counting views together: most engines are no Swarm manager, and a
    /// deploy there must not pay an extra docker call.
    bool isSwarmManager() override;
    /// `docker service ls --quiet`, then one `docker service inspect` of them all.
    std::vector<ServiceSummary> listServices() override;
    ServiceSummary inspectService(const std::string& service) override;
    /// `docker service update --detach --image IMAGE --with-registry-auth SERVICE`.
    void updateServiceImage(const std::string& service, const std::string& image) override;
    /// `docker service rollback --detach SERVICE`.
    void rollbackService(const std::string& service) override;
    /// A DockerCli with the same settings, runner and observer that also counts every docker
    /// process it runs into `calls`. It must not outlive this one.
    std::unique_ptr<ContainerBackend> counting(std::atomic<std::size_t>& calls) override;

    /// Runs `docker GLOBAL-FLAGS args...`; returns its stdout; throws DockerError.
    std::string call(const std::vector<std::string>& args);
    std::string call(const std::vector<std::string>& args, Poco::Timespan timeout);

    /// Told of every docker process run: its verb (`pull`, `container inspect`, ...), how it
    /// ended (`ok`, `error`, `timeout`) and how long it took. For metrics; must not throw.
    using CallObserver =
        std::function<void(const std::string& verb, const std::string& result, Poco::Timespan elapsed)>;
    void setCallObserver(CallObserver observer) { _observer = std::move(observer); }

    /// The verb of a call for metrics: the command, with its subcommand for management commands.
    static std::string verbOf(const std::vector<std::string>& args);

    /// The full argv (binary, global flags, args) of a call: what `call` runs.
    std::vector<std::string> commandLine(const std::vector<std::string>& args) const;

    /// How long isSwarmManager trusts its last answer.
    static constexpr int kSwarmRoleTtlSeconds = 60;

private:
    /// The last answer of isSwarmManager, shared with the counting views.
    struct SwarmRole
    {
        std::mutex mutex;
        bool known = false;
        bool manager = false;
        Poco::Timestamp checkedAt;
    };

    /// True when the engine takes `docker stop --signal` (API 1.42+); asks `docker version` once.
    bool engineTakesStopSignal();
    /// `docker stop --signal` for older engines: kill with the signal, wait, then SIGKILL.
    void stopWithKill(const std::string& container, const std::string& signal, int timeoutSeconds);
    ProcessResult runDocker(const std::vector<std::string>& args, Poco::Timespan timeout);
    /// Runs `create` or `run -d` args; returns the id it printed, the only word of its stdout.
    std::string containerIdOf(const std::vector<std::string>& args);
    std::vector<Poco::JSON::Object::Ptr> inspect(const std::string& kind,
                                                 const std::vector<std::string>& names, bool tolerateMissing);
    void waitFor(const std::string& container, Poco::Timespan timeout, bool healthy);

    config::DockerSettings _settings;
    ProcessRunner& _runner;
    Poco::Timespan _pollInterval;
    Poco::Logger& _logger;
    std::mutex _mutex;
    std::string _serverApiVersion; ///< cached by versions()
    CallObserver _observer;
    std::atomic<std::size_t>* _calls = nullptr; ///< set in a counting view
    std::shared_ptr<SwarmRole> _swarmRole;
};

} // namespace wiretap::backend
