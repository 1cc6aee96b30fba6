#include "deploy/HostFleet.h"

#include "backend/EngineCheck.h"
#include "deploy/CrashRecovery.h"
#include "deploy/DeployJournal.h"
#include "deploy/JournalError.h"
#include "deploy/RecoveryReports.h"
#include "deploy/ServiceRecovery.h"
#include "log/LogFields.h"
#include "log/ScopedLogFields.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <optional>
#include <set>
#include <thread>

namespace wiretap::deploy
{
namespace
{
/// Runs work(0) .. work(count - 1), at most `parallelism` at a time; inline when only one can run.
void forEachBounded(std::size_t count, std::size_t parallelism, const std::function<void(std::size_t)>& work)
{
    const std::size_t workers = std::min(count, std::max<std::size_t>(parallelism, 1));
    if (workers <= 1)
    {
        for (std::size_t i = 0; i < count; ++i)
            work(i);
        return;
    }
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> threads;
    for (std::size_t w = 0; w < workers; ++w)
        threads.emplace_back(
            [&]
            {
                for (std::size_t i = next++; i < count; i = next++)
                    work(i);
            });
    for (auto& thread : threads)
        thread.join();
}

/// The first result any host reached, in the order of how much it needs attention.
DeployReport::Result aggregate(const std::vector<DeployReport::HostReport>& hosts)
{
    using Result = DeployReport::Result;
    for (const Result result :
         {Result::Failed, Result::RolledBack, Result::Updated, Result::DryRun, Result::UpToDate})
        if (std::any_of(hosts.begin(), hosts.end(), [&](const auto& host) { return host.result == result; }))
            return result;
    return Result::NoMatch;
}

/// Why a host's part failed or rolled back: its error, else its first container that did.
std::string whyFailed(const DeployReport& part)
{
    if (!part.error.empty())
        return part.error;
    for (const auto& container : part.containers)
        if (container.result == ContainerReport::Result::Failed ||
            container.result == ContainerReport::Result::RolledBack)
            return toString(container.result) + " " + container.name +
                   (container.reason.empty() ? "" : ": " + container.reason);
    return toString(part.result);
}

/// Host=<name> on every line of one host's work, when hosts are named (none otherwise).
log::Fields hostFields(bool named, const std::string& name)
{
    return named ? log::Fields{{"Host", name}} : log::Fields{};
}
} // namespace

HostFleet::Member::Member(const Host& host, const DeploySettings& settings, DeployJournal* journal,
                          const std::string& journalHost)
    : host(host), deployer(host.backend, settings, journal, journalHost)
{
}

HostFleet::HostFleet(std::vector<Host> hosts, const DeploySettings& settings, DeployJournal* journal,
                     std::size_t parallelism, bool named)
    : _hosts(std::move(hosts)), _settings(settings), _journal(journal), _parallelism(parallelism),
      _named(named), _logger(Poco::Logger::get("wiretap.deploy"))
{
    // One implicit host journals as wiretap did before hosts existed (host ""), and recovers
    // every entry: nothing is left behind when docker.hosts is later added or removed.
    for (const auto& host : _hosts)
        _members.push_back(std::make_unique<Member>(host, settings, journal, named ? host.name : ""));
}

std::vector<HostFleet::EngineStatus> HostFleet::checkEngines(const std::vector<Host>& hosts,
                                                             std::size_t parallelism)
{
    std::vector<EngineStatus> statuses(hosts.size());
    forEachBounded(hosts.size(), parallelism,
                   [&](std::size_t i)
                   {
                       statuses[i].host = hosts[i].name;
                       try
                       {
                           statuses[i].versions = backend::checkEngineReachable(hosts[i].backend);
                           statuses[i].reachable = true;
                       }
                       catch (const std::exception& exc)
                       {
                           statuses[i].error = exc.what();
                       }
                   });
    return statuses;
}

void HostFleet::recover(const std::vector<EngineStatus>& engines)
{
    if (_journal && _named)
    {
        const std::string& first = _hosts.front().name;
        if (const auto adopted = _journal->adoptHostless(first))
            log::info(_logger, "Journal entries from before docker.hosts belong to the first host",
                      {{"Host", first}, {"Entries", std::to_string(adopted)}});
        std::set<std::string> names;
        for (const auto& host : _hosts)
            names.insert(host.name);
        for (const auto& update : _journal->unfinished())
            if (names.count(update.host) == 0)
                log::warning(
                    _logger, "Interrupted update of a host no longer in docker.hosts left alone",
                    {{"Host", update.host}, {"Name", update.container}, {"Deploy", update.deployId}});
        for (const auto& update : _journal->unfinishedServices())
            if (names.count(update.host) == 0)
                log::warning(
                    _logger, "Interrupted service update of a host no longer in docker.hosts left alone",
                    {{"Host", update.host}, {"Service", update.serviceName}, {"Deploy", update.deployId}});
    }
    for (auto& member : _members)
    {
        const bool reachable = std::any_of(engines.begin(), engines.end(),
                                           [&](const EngineStatus& engine)
                                           { return engine.host == member->host.name && engine.reachable; });
        if (!reachable)
            continue;
        const log::ScopedLogFields scope(hostFields(_named, member->host.name));
        std::lock_guard<std::mutex> lock(member->readyMutex);
        recoverOnce(*member);
    }
}

void HostFleet::recoverOnce(Member& member)
{
    if (member.recovered)
        return;
    if (_journal)
    {
        const std::optional<std::string> journalHost =
            _named ? std::optional<std::string>(member.host.name) : std::nullopt;
        if (_settings.dryRun)
        {
            const auto open = journalHost
                                  ? _journal->unfinished(*journalHost).size() +
                                        _journal->unfinishedServices(*journalHost).size()
                                  : _journal->unfinished().size() + _journal->unfinishedServices().size();
            if (open > 0)
                log::warning(_logger, "Interrupted updates not recovered in dry-run mode",
                             {{"Updates", std::to_string(open)}});
        }
        else
        {
            const Poco::Timestamp startedAt;
            const auto containers = CrashRecovery(member.host.backend, *_journal, journalHost).run();
            auto services = ServiceRecovery(member.host.backend, *_journal, _settings, journalHost).run();
            for (const auto& report :
                 recoveryReports(containers, std::move(services), member.host.name, startedAt))
                if (_recoverySink)
                    _recoverySink(report);
        }
    }
    member.recovered = true;
}

DeployReport HostFleet::run(const DeployRequest& request)
{
    const Poco::Timestamp startedAt;
    std::vector<DeployReport> parts(_members.size());
    forEachBounded(_members.size(), _parallelism,
                   [&](std::size_t i) { parts[i] = runOn(*_members[i], request); });
    return merge(request, parts, startedAt);
}

DeployReport HostFleet::runOn(Member& member, const DeployRequest& request)
{
    const log::ScopedLogFields scope(hostFields(_named, member.host.name));
    {
        // A host that did not answer at start-up: recovered first, once its engine answers.
        std::lock_guard<std::mutex> lock(member.readyMutex);
        if (!member.recovered)
        {
            std::atomic<std::size_t> calls{0};
            try
            {
                const auto counted = member.host.backend.counting(calls);
                backend::checkEngineReachable(counted ? *counted : member.host.backend);
                recoverOnce(member);
            }
            catch (const std::exception& exc)
            {
                DeployReport failed;
                failed.id = request.id;
                failed.result = DeployReport::Result::Failed;
                failed.error = exc.what();
                failed.dockerCalls = calls;
                failed.finishedAt = Poco::Timestamp();
                log::error(_logger, "Docker host not ready; its part of the deploy failed",
                           {{"Deploy", request.id}, {"Error", exc.what()}});
                return failed;
            }
        }
    }
    auto report = member.deployer.run(request);
    if (_named)
        log::write(_logger,
                   report.succeeded() ? Poco::Message::PRIO_INFORMATION : Poco::Message::PRIO_WARNING,
                   "Deploy finished on host",
                   {{"Deploy", report.id},
                    {"Result", toString(report.result)},
                    {"DockerCalls", std::to_string(report.dockerCalls)}});
    return report;
}

DeployReport HostFleet::merge(const DeployRequest& request, std::vector<DeployReport>& parts,
                              Poco::Timestamp startedAt) const
{
    DeployReport merged;
    merged.id = request.id;
    const auto& latest = request.events.back();
    merged.image = latest.reference().normalized();
    merged.digest = latest.digest;
    merged.startedAt = startedAt;
    for (std::size_t i = 0; i < parts.size(); ++i)
    {
        auto& part = parts[i];
        const std::string& name = _hosts[i].name;
        merged.hosts.push_back({name, part.result, part.error, part.newImageId, part.dockerCalls});
        for (auto& container : part.containers)
        {
            container.host = name;
            merged.containers.push_back(std::move(container));
        }
        for (auto& service : part.services)
        {
            service.host = name;
            merged.services.push_back(std::move(service));
        }
        merged.dockerCalls += part.dockerCalls;
        if (merged.newImageId.empty())
            merged.newImageId = part.newImageId;
        const bool failed =
            part.result == DeployReport::Result::Failed || part.result == DeployReport::Result::RolledBack;
        if (!_named)
            merged.error = part.error;
        else if (failed)
            merged.error += (merged.error.empty() ? "" : "; ") + name + ": " + whyFailed(part);
    }
    merged.result = aggregate(merged.hosts);
    merged.finishedAt = Poco::Timestamp();
    return merged;
}

} // namespace wiretap::deploy
