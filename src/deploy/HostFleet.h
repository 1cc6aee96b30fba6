#pragma once

#include "backend/ContainerBackend.h"
#include "deploy/DeployReport.h"
#include "deploy/DeployRequest.h"
#include "deploy/DeploySettings.h"
#include "deploy/Deployer.h"

#include <Poco/Logger.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace wiretap::deploy
{

class DeployJournal;

/// Deploys every request on every docker host: one Deployer per host, hosts in parallel (at most
/// `parallelism` at a time), and one DeployReport that merges theirs. A host whose engine is
/// unreachable, or whose deploy fails, fails its own part only; the others go on. The merged
/// report lists each host's part (`hosts`, in configuration order), tags every container and
/// service with its host, sums the docker calls, and is Failed when any host failed, else
/// RolledBack, Updated, DryRun, UpToDate or NoMatch, the first that any host reached; its
/// `error` names each failed host ("web2: ..."). One implicit host (no docker.hosts) reports
/// exactly as its Deployer does, with `hosts` = [its part].
///
/// Each host's journaled updates carry its name, and its interrupted ones are recovered on its
/// own engine: at start-up when it answers, else before its first deploy once it does. What
/// recovery did to Swarm services is reported (one DeployReport per interrupted deploy) to the
/// recovery sink.
class HostFleet
{
public:
    /// Receives what recovery did to the containers and Swarm services of one interrupted deploy
    /// (recoveryReports); called from the thread that recovers (a deploy's, for a host late to
    /// answer).
    using RecoverySink = std::function<void(const DeployReport&)>;

    struct Host
    {
        std::string name;
        backend::ContainerBackend& backend;
    };

    /// Whether one host's engine answered at start-up.
    struct EngineStatus
    {
        std::string host;
        bool reachable = false;
        std::string error; ///< EngineUnreachableError's message
        backend::DockerVersions versions;
    };

    /// `named`: the hosts come from docker.hosts; their log lines then carry Host=<name> and the
    /// report's error names them. The backends, settings and journal must outlive the fleet.
    HostFleet(std::vector<Host> hosts, const DeploySettings& settings, DeployJournal* journal,
              std::size_t parallelism, bool named);

    /// Asks each engine for its versions, hosts in parallel. Logs nothing; never throws.
    static std::vector<EngineStatus> checkEngines(const std::vector<Host>& hosts, std::size_t parallelism);

    /// Start-up, before any deploy: gives the journal's entries from before hosts existed to the
    /// first host, then recovers the interrupted updates of each host `engines` found reachable
    /// (in dry-run mode, only warns about them). Throws JournalError.
    void recover(const std::vector<EngineStatus>& engines);

    /// Where recovery reports go (none by default); set before recover() and run().
    void onRecovery(RecoverySink sink) { _recoverySink = std::move(sink); }

    /// Deploys `request` on every host. Never throws.
    DeployReport run(const DeployRequest& request);

    const std::vector<Host>& hosts() const { return _hosts; }

private:
    struct Member
    {
        Member(const Host& host, const DeploySettings& settings, DeployJournal* journal,
               const std::string& journalHost);
        Host host;
        Deployer deployer;
        std::mutex readyMutex;
        bool recovered = false; ///< its interrupted updates are put right (or none were left)
    };

    DeployReport runOn(Member& member, const DeployRequest& request);
    /// Recovers `member`'s interrupted updates unless that happened already; with its readyMutex.
    void recoverOnce(Member& member);
    DeployReport merge(const DeployRequest& request, std::vector<DeployReport>& parts,
                       Poco::Timestamp startedAt) const;

    std::vector<Host> _hosts;
    const DeploySettings& _settings;
    DeployJournal* _journal;
    std::size_t _parallelism;
    bool _named;
    Poco::Logger& _logger;
    std::vector<std::unique_ptr<Member>> _members;
    RecoverySink _recoverySink;
};

} // namespace wiretap::deploy
