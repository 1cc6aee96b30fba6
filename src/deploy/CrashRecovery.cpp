#include "deploy/CrashRecovery.h"

#include "deploy/ContainerMatcher.h"
#include "deploy/JournalError.h"
#include "log/LogFields.h"

namespace wiretap::deploy
{
namespace
{
/// Ids match when one is a prefix of the other (the CLI accepts short ids).
bool sameId(const std::string& a, const std::string& b)
{
    if (a.empty() || b.empty())
        return false;
    return a.size() <= b.size() ? b.compare(0, a.size(), a) == 0 : a.compare(0, b.size(), b) == 0;
}

std::optional<backend::ContainerSummary> named(const std::vector<backend::ContainerSummary>& all,
                                               const std::string& name)
{
    for (const auto& container : all)
        if (container.name == name)
            return container;
    return std::nullopt;
}

std::string shortId(const std::string& id)
{
    return id.substr(0, 12);
}
} // namespace

CrashRecovery::CrashRecovery(backend::ContainerBackend& backend, DeployJournal& journal,
                             std::optional<std::string> host)
    : _backend(backend), _journal(journal), _host(std::move(host)),
      _logger(Poco::Logger::get("wiretap.deploy"))
{
}

std::vector<RecoveryAction> CrashRecovery::run()
{
    std::vector<RecoveryAction> actions;
    for (const auto& update : _host ? _journal.unfinished(*_host) : _journal.unfinished())
    {
        log::info(_logger, "Recovering interrupted update",
                  {{"Deploy", update.deployId},
                   {"Name", update.container},
                   {"Step", update.step},
                   {"ID", update.oldId}});
        try
        {
            actions.push_back(recover(update));
        }
        catch (const JournalError&)
        {
            throw;
        }
        catch (const std::exception& exc)
        {
            RecoveryAction action{update.deployId,
                                  update.container,
                                  update.image,
                                  update.oldId,
                                  "unresolved",
                                  std::string("docker failed: ") + exc.what(),
                                  false};
            log::error(_logger, "Recovery failed; retried at the next start",
                       {{"Name", update.container}, {"Deploy", update.deployId}, {"Error", exc.what()}});
            actions.push_back(action);
        }
    }
    return actions;
}

bool CrashRecovery::isNewContainer(const backend::ContainerSummary& container, const JournaledUpdate& update)
{
    if (sameId(container.id, update.oldId))
        return false;
    if (!update.newId.empty())
        return sameId(container.id, update.newId);
    // The id is journaled right after the create (or run); only a crash during it leaves it
    // unknown. The old container waits aside then, so the one under its name is the new one if
    // it was created from the same image reference.
    return (update.step == "create" || update.step == "run") && container.image == update.image;
}

RecoveryAction CrashRecovery::recover(const JournaledUpdate& update)
{
    RecoveryAction action{
        update.deployId, update.container, update.image, update.oldId, "unresolved", "", false};
    const auto all = _backend.listContainers();
    const auto holder = named(all, update.container);
    const auto aside = named(all, update.asideName);

    if (aside)
    {
        // The old container still waits aside: the update did not complete. Roll it back.
        if (!sameId(aside->id, update.oldId))
        {
            action.detail = "container " + shortId(aside->id) + " under " + update.asideName +
                            " is not the old container " + shortId(update.oldId) + "; both left alone";
            log::error(_logger, "Recovery needs attention",
                       {{"Name", update.container}, {"Aside", update.asideName}, {"Reason", action.detail}});
            return action;
        }
        if (holder)
        {
            if (!isNewContainer(*holder, update))
            {
                action.detail = "container " + shortId(holder->id) + " (" + holder->image + ") holds " +
                                update.container +
                                " but is not the one wiretap created; it and the old "
                                "container under " +
                                update.asideName + " were left alone";
                log::error(_logger, "Recovery needs attention",
                           {{"Name", update.container}, {"ID", holder->id}, {"Reason", action.detail}});
                return action;
            }
            log::info(_logger, "Removing container",
                      {{"ID", holder->id}, {"Name", update.container}, {"Reason", "recovery"}});
            _backend.removeContainer(holder->id, true, false);
            action.detail = "removed new container " + shortId(holder->id) + "; ";
        }
        log::info(_logger, "Renaming container back",
                  {{"ID", aside->id}, {"From", update.asideName}, {"Name", update.container}});
        _backend.renameContainer(aside->id, update.container);
        action.detail += "renamed " + update.asideName + " back";
        startIfItRan(*aside, update, action);
        close(update, action, kRolledBack);
        return action;
    }

    if (!holder)
    {
        action.detail = "no container is named " + update.container + " any more; nothing to do";
        close(update, action, kGone, true);
        return action;
    }
    if (sameId(holder->id, update.oldId))
    {
        action.detail = "the old container is under its name";
        startIfItRan(*holder, update, action);
        close(update, action, kRolledBack);
        return action;
    }
    if (isNewContainer(*holder, update))
    {
        action.detail = "the new container " + shortId(holder->id) + " is under its name";
        startIfItRan(*holder, update, action);
        close(update, action, kCompleted);
        return action;
    }
    // The old one is gone and something else holds the name: not ours to touch.
    action.detail = "container " + shortId(holder->id) + " (" + holder->image + ") holds " +
                    update.container + " and is not one wiretap knows; left alone";
    close(update, action, kLeftAlone, true);
    return action;
}

void CrashRecovery::startIfItRan(const backend::ContainerSummary& container, const JournaledUpdate& update,
                                 RecoveryAction& action)
{
    if (!update.wasRunning || ContainerMatcher::isRunning(container.state))
        return;
    log::info(_logger, "Starting container", {{"ID", container.id}, {"Name", update.container}});
    _backend.startContainer(container.id);
    action.detail += "; started it";
}

void CrashRecovery::close(const JournaledUpdate& update, RecoveryAction& action, const std::string& outcome,
                          bool warn)
{
    _journal.finish(update.key, outcome);
    action.outcome = outcome;
    action.resolved = true;
    log::write(_logger, warn ? Poco::Message::PRIO_WARNING : Poco::Message::PRIO_INFORMATION,
               "Recovered container",
               {{"Name", update.container},
                {"Deploy", update.deployId},
                {"Result", outcome},
                {"Detail", action.detail}});
}

} // namespace wiretap::deploy
