#include "deploy/Deployer.h"

#include "backend/BackendError.h"
#include "backend/ContainerSpecParser.h"
#include "backend/InspectJson.h"
#include "deploy/DependencyOrder.h"
#include "deploy/JournalingStepHook.h"
#include "deploy/ServiceRollout.h"
#include "events/ImageReference.h"
#include "log/LogFields.h"
#include "log/ScopedLogFields.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <thread>

namespace wiretap::deploy
{
namespace
{
/// The digests among RepoDigests `entries` (repository@sha256:...) in `pushed`'s repository.
std::vector<std::string> repoDigests(const std::vector<std::string>& entries,
                                     const events::ImageReference& pushed)
{
    std::vector<std::string> digests;
    for (const auto& entry : entries)
    {
        const auto reference = events::ImageReference::tryParse(entry);
        if (reference && !reference->digest().empty() && reference->repository() == pushed.repository())
            digests.push_back(reference->digest());
    }
    return digests;
}

/// The digests the inspected image is known by in `pushed`'s repository (RepoDigests).
std::vector<std::string> repoDigests(const Poco::JSON::Object::Ptr& image,
                                     const events::ImageReference& pushed)
{
    if (!image)
        return {};
    return repoDigests(backend::inspect::strings(*image, "RepoDigests"), pushed);
}

/// Whether the inspected image is known by `pushed`'s repository at `digest`.
bool hasRepoDigest(const Poco::JSON::Object::Ptr& image, const events::ImageReference& pushed,
                   const std::string& digest)
{
    const auto digests = repoDigests(image, pushed);
    return !digest.empty() && std::find(digests.begin(), digests.end(), digest) != digests.end();
}

/// The mount points `container` gets from its --volumes-from sources, read from their inspect
/// (already at hand): the parser must not pin them as the container's own.
std::set<std::string> sharedPaths(const Poco::JSON::Object::Ptr& container,
                                  const std::vector<backend::ContainerSummary>& all,
                                  const std::map<std::string, Poco::JSON::Object::Ptr>& inspectById)
{
    std::set<std::string> paths;
    const auto host = container ? backend::inspect::object(*container, "HostConfig") : nullptr;
    if (!host)
        return paths;
    for (const auto& from : backend::inspect::strings(*host, "VolumesFrom"))
    {
        const std::string source = from.substr(0, from.find(':'));
        for (const auto& candidate : all)
            if (candidate.name == source || candidate.id.rfind(source, 0) == 0)
            {
                const auto inspected = inspectById.find(candidate.id);
                if (inspected != inspectById.end() && inspected->second)
                    for (const auto& mount : backend::inspect::objects(*inspected->second, "Mounts"))
                        paths.insert(backend::inspect::string(*mount, "Destination"));
            }
    }
    return paths;
}

/// Runs `work` on a thread of its own, with this thread's log fields (Host=...), while the caller
/// goes on; the future's get() gives its result or rethrows, and its destructor waits for it.
template <typename Work> auto alongside(Work work)
{
    const log::Fields context = log::ScopedLogFields::current();
    return std::async(std::launch::async,
                      [context, work = std::move(work)]() mutable
                      {
                          const log::ScopedLogFields scope(context);
                          return work();
                      });
}

ContainerReport skipped(const backend::ContainerSummary& container, ContainerReport::Result result,
                        const std::string& reason)
{
    ContainerReport report;
    report.name = container.name;
    report.oldId = container.id;
    report.result = result;
    report.reason = reason;
    return report;
}
} // namespace

Deployer::Deployer(backend::ContainerBackend& backend, const DeploySettings& settings, DeployJournal* journal,
                   std::string host)
    : _backend(backend), _settings(settings), _logger(Poco::Logger::get("wiretap.deploy")),
      _matcher(settings), _journal(journal), _host(std::move(host))
{
}

DeployReport Deployer::run(const DeployRequest& request)
{
    DeployReport report;
    report.id = request.id;
    std::atomic<std::size_t> calls{0};
    const auto counted = _backend.counting(calls);
    deploy(counted ? *counted : _backend, request, report);
    report.dockerCalls = calls;
    return report;
}

void Deployer::deploy(backend::ContainerBackend& backend, const DeployRequest& request, DeployReport& report)
{
    const events::ImageEvent& latest = request.events.back();
    const events::ImageReference pushed = latest.reference();
    report.image = pushed.normalized();
    report.digest = latest.digest;
    const std::string pullReference = pushed.familiar();
    ServiceRollout services(backend, _settings, _logger, _journal, _host, report.id);
    std::vector<backend::ServiceSummary> serviceTargets;

    // Whether the engine is a Swarm manager (`docker info`, cached for a minute): asked while
    // the containers are listed, since planning needs both. Read-only, like the listing.
    auto swarmManager = alongside([&backend] { return backend.isSwarmManager(); });
    try
    {
        const auto containers = backend.listContainers();
        const auto matched = _matcher.match(pushed, containers);
        for (const auto& skip : matched.skipped)
        {
            log::info(_logger, "Container left alone",
                      {{"Name", skip.container.name}, {"Reason", skip.reason}});
            report.containers.push_back(
                skipped(skip.container, ContainerReport::Result::Skipped, skip.reason));
        }
        serviceTargets = matchServices(services, swarmManager, pushed, report);
        if (matched.targets.empty() && serviceTargets.empty() && report.error.empty())
        {
            log::info(_logger, "No container runs the image",
                      {{"Image", pullReference}, {"Deploy", report.id}});
            report.result = DeployReport::Result::NoMatch;
            report.finishedAt = Poco::Timestamp();
            return;
        }
        if (!matched.targets.empty())
            updateContainers(backend, request, containers, matched.targets, pushed, report);
    }
    catch (const std::exception& exc)
    {
        report.result = DeployReport::Result::Failed;
        report.error = exc.what() + (report.error.empty() ? "" : "; " + report.error);
        log::error(_logger, "Deploy failed",
                   {{"Image", pullReference}, {"Deploy", report.id}, {"Error", exc.what()}});
    }
    if (!serviceTargets.empty())
        updateServices(backend, services, serviceTargets, request, pushed, report);
    conclude(report, _settings.dryRun);
    if (report.result == DeployReport::Result::Updated && _settings.cleanup)
        cleanUp(backend, report);
}

std::vector<backend::ServiceSummary> Deployer::matchServices(ServiceRollout& services,
                                                             std::future<bool>& swarmManager,
                                                             const events::ImageReference& pushed,
                                                             DeployReport& report)
{
    try
    {
        if (!swarmManager.get())
            return {};
        return services.match(pushed, report);
    }
    catch (const std::exception& exc)
    {
        // The containers are still deployed; the deploy fails for the services it could not see.
        report.result = DeployReport::Result::Failed;
        report.error = std::string("Swarm services not listed: ") + exc.what();
        log::error(_logger, "Swarm services not listed", {{"Deploy", report.id}, {"Error", exc.what()}});
        return {};
    }
}

void Deployer::updateContainers(backend::ContainerBackend& backend, const DeployRequest& request,
                                const std::vector<backend::ContainerSummary>& containers,
                                const std::vector<backend::ContainerSummary>& matched,
                                const events::ImageReference& pushed, DeployReport& report)
{
    const Plan planned = plan(backend, containers, matched);
    std::map<std::string, Poco::JSON::Object::Ptr> imageById;
    if (report.digest.empty() && !_settings.dryRun)
    {
        // No digest to compare the old images with: every target needs the pull, and what the
        // old images hold is only needed to create the new containers. Inspect them meanwhile.
        auto inspecting = alongside([&] { return inspectImages(backend, planned.imageIds); });
        pull(backend, request, pushed, report); // a failure waits for the inspect, then throws
        imageById = inspecting.get();
    }
    else
        imageById = inspectImages(backend, planned.imageIds);
    auto targets = prepare(planned, imageById, pushed, report);
    if (std::all_of(targets.begin(), targets.end(), [](const UpdateTarget& t) { return t.dependent; }))
        return; // every match already runs the pushed digest
    if (_settings.dryRun)
    {
        for (const auto& target : targets)
        {
            log::info(_logger, "Dry run: would update container",
                      {{"Name", target.summary.name}, {"ID", target.summary.id}, {"Image", target.image}});
            report.containers.push_back(
                skipped(target.summary, ContainerReport::Result::Skipped, "dry run: would be updated"));
        }
        return;
    }

    const std::string pullReference = pushed.familiar();
    pull(backend, request, pushed, report);
    std::vector<UpdateTarget> toUpdate;
    for (auto& target : targets)
    {
        if (!target.dependent && target.summary.imageId == report.newImageId)
        {
            log::info(_logger, "Image is up to date",
                      {{"Name", target.summary.name}, {"Image", pullReference}});
            report.containers.push_back(
                skipped(target.summary, ContainerReport::Result::UpToDate, "already runs the pulled image"));
            continue;
        }
        toUpdate.push_back(std::move(target));
    }
    // Dependents only follow containers that are actually recreated.
    std::set<std::string> recreated;
    for (const auto& target : toUpdate)
        if (!target.dependent)
        {
            recreated.insert(target.summary.name);
            recreated.insert(target.summary.id);
        }
    toUpdate.erase(std::remove_if(toUpdate.begin(), toUpdate.end(),
                                  [&](const UpdateTarget& t)
                                  {
                                      if (!t.dependent)
                                          return false;
                                      for (const auto& need : dependenciesOf(t.inspect))
                                          if (recreated.count(need))
                                              return false;
                                      return true;
                                  }),
                   toUpdate.end());
    execute(backend, toUpdate, report);
}

void Deployer::pull(backend::ContainerBackend& backend, const DeployRequest& request,
                    const events::ImageReference& pushed, DeployReport& report)
{
    if (!report.newImageId.empty())
        return; // the containers' part pulled already
    const std::string pullReference = pushed.familiar();
    if (const auto pulled = coveringPull(request))
    {
        // A burst of webhooks: the pull of the deploy before this one already saw them.
        log::info(_logger, "Image already pulled for these events",
                  {{"Image", pullReference}, {"ImageID", pulled->id}, {"Deploy", report.id}});
        report.newImageId = pulled->id;
        return;
    }
    log::info(_logger, "Pulling newer image", {{"Image", pullReference}});
    const Poco::Timestamp pullStarted;
    auto pulled = backend.pullImage(pullReference);
    report.newImageId = pulled.id;
    rememberPull(request.key, pullStarted, std::move(pulled));
}

void Deployer::updateServices(backend::ContainerBackend& backend, ServiceRollout& services,
                              const std::vector<backend::ServiceSummary>& targets,
                              const DeployRequest& request, const events::ImageReference& pushed,
                              DeployReport& report)
{
    if (_settings.dryRun)
    {
        services.plan(targets, report.digest, report);
        return;
    }
    // The digest to pin: the event's, else the pulled image's in the pushed repository.
    std::string digest = report.digest;
    try
    {
        if (digest.empty())
        {
            if (report.newImageId.empty() && report.result == DeployReport::Result::Failed)
                throw backend::BackendError("the deploy failed before: " + report.error);
            pull(backend, request, pushed, report);
            // The pull's own inspect has them; an id that came another way is inspected.
            auto digests = repoDigests(pulledRepoDigests(request, report.newImageId), pushed);
            if (digests.empty())
            {
                const auto images = backend.inspectImages({report.newImageId});
                digests = images.empty() ? std::vector<std::string>() : repoDigests(images.front(), pushed);
            }
            if (digests.empty())
                throw backend::BackendError("the pulled image " + report.newImageId + " has no digest in " +
                                            pushed.repository() + " (RepoDigests)");
            digest = digests.front();
        }
    }
    catch (const std::exception& exc)
    {
        services.fail(targets, std::string("no digest to pin: ") + exc.what(), report);
        return;
    }
    services.update(targets, digest, report);
}

Deployer::Plan Deployer::plan(backend::ContainerBackend& backend,
                              const std::vector<backend::ContainerSummary>& all,
                              std::vector<backend::ContainerSummary> targets)
{
    // Every container's inspect: the targets' configuration, and who depends on them. The
    // listing usually brought it; the rest are inspected in one call.
    std::map<std::string, Poco::JSON::Object::Ptr> inspectById;
    std::vector<std::string> ids;
    for (const auto& container : all)
        if (container.inspect)
            inspectById[container.id] = container.inspect;
        else
            ids.push_back(container.id);
    const auto inspected = backend.inspectContainers(ids);
    for (std::size_t i = 0; i < ids.size() && i < inspected.size(); ++i)
        inspectById[ids[i]] = inspected[i];

    // Dependents: running containers on other images that need a target.
    std::set<std::string> targetIds;
    std::set<std::string> targetNames;
    for (const auto& target : targets)
    {
        targetIds.insert(target.id);
        targetNames.insert(target.name);
    }
    std::vector<backend::ContainerSummary> dependents;
    for (const auto& container : all)
    {
        if (targetIds.count(container.id) || !ContainerMatcher::isRunning(container.state))
            continue;
        for (const auto& need : dependenciesOf(inspectById[container.id]))
            if (targetNames.count(need) || std::any_of(targetIds.begin(), targetIds.end(),
                                                       [&](const std::string& id) { return id == need; }))
            {
                dependents.push_back(container);
                break;
            }
    }

    // The images they run now, by id, to inspect in one call: what they inherited from it.
    std::vector<std::string> imageIds;
    for (const auto* group : {&targets, &dependents})
        for (const auto& container : *group)
            if (std::find(imageIds.begin(), imageIds.end(), container.imageId) == imageIds.end())
                imageIds.push_back(container.imageId);
    return {all, std::move(targets), std::move(dependents), std::move(inspectById), std::move(imageIds)};
}

std::vector<UpdateTarget> Deployer::prepare(const Plan& planned,
                                            const std::map<std::string, Poco::JSON::Object::Ptr>& imageById,
                                            const events::ImageReference& pushed, DeployReport& report)
{
    const auto& all = planned.all;
    const auto& inspectById = planned.inspectById;
    std::map<std::string, std::string> namesById;
    for (const auto& container : all)
        namesById[container.id] = container.name;
    const Poco::JSON::Object noImage;
    const auto specOf = [&](const backend::ContainerSummary& container)
    {
        const auto image = imageById.find(container.imageId);
        return backend::ContainerSpecParser::parse(
            *inspectById.at(container.id), image != imageById.end() ? *image->second : noImage, namesById,
            sharedPaths(inspectById.at(container.id), all, inspectById));
    };

    std::vector<UpdateTarget> prepared;
    for (const auto& target : planned.targets)
    {
        const auto image = imageById.find(target.imageId);
        if (image != imageById.end() && hasRepoDigest(image->second, pushed, report.digest))
        {
            log::info(_logger, "Image is up to date", {{"Name", target.name}, {"Digest", report.digest}});
            report.containers.push_back(
                skipped(target, ContainerReport::Result::UpToDate, "already runs " + report.digest));
            continue;
        }
        prepared.push_back({target, inspectById.at(target.id), specOf(target), target.image, false});
    }
    for (const auto& dependent : planned.dependents)
        prepared.push_back(
            {dependent, inspectById.at(dependent.id), specOf(dependent), dependent.image, true});

    std::vector<std::string> names;
    std::vector<std::string> preparedIds;
    std::vector<std::vector<std::string>> needs;
    for (const auto& target : prepared)
    {
        names.push_back(target.summary.name);
        preparedIds.push_back(target.summary.id);
        needs.push_back(dependenciesOf(target.inspect));
    }
    std::vector<UpdateTarget> ordered;
    for (const auto index : dependencyOrder(names, preparedIds, needs))
        ordered.push_back(prepared[index]);
    return ordered;
}

void Deployer::execute(backend::ContainerBackend& backend, const std::vector<UpdateTarget>& targets,
                       DeployReport& report)
{
    ContainerUpdater updater(backend, _settings, _logger);
    bool stopped = false;
    std::size_t next = 0;
    while (next < targets.size())
    {
        if (stopped)
        {
            report.containers.push_back(
                skipped(targets[next].summary, ContainerReport::Result::Skipped,
                        "rollout stopped after a failed update (deploy.onFailure=stop)"));
            ++next;
            continue;
        }
        // A batch of `parallelism` containers, none of which depends on another in the batch.
        std::vector<std::size_t> batch{next++};
        while (batch.size() < _settings.parallelism && next < targets.size())
        {
            const auto needs = dependenciesOf(targets[next].inspect);
            const bool independent = std::none_of(
                batch.begin(), batch.end(),
                [&](std::size_t i)
                { return std::find(needs.begin(), needs.end(), targets[i].summary.name) != needs.end(); });
            if (!independent)
                break;
            batch.push_back(next++);
        }
        std::vector<ContainerReport> results(batch.size());
        if (batch.size() == 1)
            results[0] = updateOne(updater, targets[batch[0]], report.id);
        else
        {
            std::vector<std::thread> threads;
            const log::Fields context = log::ScopedLogFields::current(); // Host=... on their lines
            for (std::size_t i = 0; i < batch.size(); ++i)
                threads.emplace_back(
                    [&, i]
                    {
                        const log::ScopedLogFields scope(context);
                        results[i] = updateOne(updater, targets[batch[i]], report.id);
                    });
            for (auto& thread : threads)
                thread.join();
        }
        for (auto& result : results)
        {
            if (result.result != ContainerReport::Result::Updated && _settings.stopOnFailure)
                stopped = true;
            report.containers.push_back(std::move(result));
        }
    }
}

ContainerReport Deployer::updateOne(ContainerUpdater& updater, const UpdateTarget& target,
                                    const std::string& deployId)
{
    if (!_journal)
        return updater.update(target);
    JournalingStepHook journaling(*_journal, deployId, target, _host);
    return updater.update(target, journaling.stepHook(), journaling.finishHook());
}

std::optional<backend::PulledImage> Deployer::coveringPull(const DeployRequest& request)
{
    std::lock_guard<std::mutex> lock(_pullsMutex);
    const auto last = _pulls.find(request.key);
    if (last == _pulls.end() || request.events.empty())
        return std::nullopt;
    for (const auto& event : request.events)
        if (!(event.receivedAt < last->second.startedAt))
            return std::nullopt;
    return last->second.image;
}

void Deployer::rememberPull(const std::string& key, Poco::Timestamp startedAt, backend::PulledImage image)
{
    std::lock_guard<std::mutex> lock(_pullsMutex);
    _pulls[key] = {startedAt, std::move(image)};
}

std::vector<std::string> Deployer::pulledRepoDigests(const DeployRequest& request, const std::string& imageId)
{
    std::lock_guard<std::mutex> lock(_pullsMutex);
    const auto last = _pulls.find(request.key);
    if (last == _pulls.end() || last->second.image.id != imageId)
        return {};
    return last->second.image.repoDigests;
}

void Deployer::cleanUp(backend::ContainerBackend& backend, const DeployReport& report)
{
    std::set<std::string> oldImages;
    for (const auto& container : report.containers)
        if (container.result == ContainerReport::Result::Updated && container.oldImageId != report.newImageId)
            oldImages.insert(container.oldImageId);
    if (oldImages.empty())
        return;
    try
    {
        std::set<std::string> inUse;
        for (const auto& container : backend.listContainers())
            inUse.insert(container.imageId);
        for (const auto& image : oldImages)
            if (!inUse.count(image))
            {
                log::info(_logger, "Removing old image", {{"Image", image}});
                backend.removeImage(image, false);
            }
    }
    catch (const std::exception& exc)
    {
        log::warning(_logger, "Old image not removed", {{"Error", exc.what()}});
    }
}

std::map<std::string, Poco::JSON::Object::Ptr> Deployer::inspectImages(backend::ContainerBackend& backend,
                                                                       const std::vector<std::string>& ids)
{
    std::vector<Poco::JSON::Object::Ptr> images;
    try
    {
        images = backend.inspectImages(ids);
    }
    catch (const std::exception&)
    {
        for (const auto& id : ids) // one of them is gone: ask one by one
        {
            try
            {
                const auto one = backend.inspectImages({id});
                images.insert(images.end(), one.begin(), one.end());
            }
            catch (const std::exception& exc)
            {
                log::warning(_logger, "Image cannot be inspected; its containers keep every value",
                             {{"Image", id}, {"Error", exc.what()}});
            }
        }
    }
    std::map<std::string, Poco::JSON::Object::Ptr> byId;
    for (const auto& image : images)
        if (image)
            byId[backend::inspect::string(*image, "Id")] = image;
    return byId;
}

void Deployer::conclude(DeployReport& report, bool dryRun)
{
    report.finishedAt = Poco::Timestamp();
    if (report.result == DeployReport::Result::Failed)
        return;
    if (dryRun)
    {
        report.result = DeployReport::Result::DryRun;
        return;
    }
    bool updated = false;
    bool rolledBack = false;
    bool failed = false;
    for (const auto& container : report.containers)
    {
        updated |= container.result == ContainerReport::Result::Updated;
        rolledBack |= container.result == ContainerReport::Result::RolledBack;
        failed |= container.result == ContainerReport::Result::Failed;
    }
    for (const auto& service : report.services)
    {
        updated |= service.result == ServiceReport::Result::Updated;
        rolledBack |= service.result == ServiceReport::Result::RolledBack;
        failed |= service.result == ServiceReport::Result::Failed;
    }
    if (failed)
        report.result = DeployReport::Result::Failed;
    else if (rolledBack)
        report.result = DeployReport::Result::RolledBack;
    else if (updated)
        report.result = DeployReport::Result::Updated;
    else
        report.result = DeployReport::Result::UpToDate;
}

} // namespace wiretap::deploy
