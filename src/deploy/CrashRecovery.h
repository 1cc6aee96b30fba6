#pragma once

#include "backend/ContainerBackend.h"
#include "deploy/DeployJournal.h"

#include <Poco/Logger.h>

#include <optional>
#include <string>
#include <vector>

namespace wiretap::deploy
{

/// What start-up recovery did with one interrupted update.
struct RecoveryAction
{
    std::string deployId;
    std::string container; ///< the original name
    std::string image;     ///< the reference the new container was created from
    std::string oldId;     ///< the old container's id
    std::string outcome;   ///< the journal's result, or "unresolved"
    std::string detail;    ///< what was done, or why nothing could be
    bool resolved = false; ///< false: the entry stays open and is retried at the next start
};

/// Puts every container whose update a crash interrupted back into a safe end
/// state: exactly one container under its original name, running if it ran,
/// on the old or the new image, nothing left under the aside name. If the old
/// container still waits aside, the update did not complete and is rolled back
/// (the new one removed, the old renamed back and started); if it is gone, the
/// new one stays and is started. A container the journal does not know is
/// never removed: when one holds the name while the old one waits aside, both
/// are left alone and the entry stays open. Docker errors leave the entry open
/// too; JournalError propagates.
class CrashRecovery
{
public:
    static constexpr const char* kRolledBack = "recovered: rolled back";
    static constexpr const char* kCompleted = "recovered: completed";
    static constexpr const char* kGone = "recovered: container gone";
    static constexpr const char* kLeftAlone = "recovered: left alone";

    /// Recovers every unfinished update in `journal`, or, with a `host`, only that docker
    /// host's (the entries its Deployer wrote): `backend` must be that host's engine.
    CrashRecovery(backend::ContainerBackend& backend, DeployJournal& journal,
                  std::optional<std::string> host = std::nullopt);

    std::vector<RecoveryAction> run();

private:
    RecoveryAction recover(const JournaledUpdate& update);
    /// Whether `container` is the new container of `update`: its recorded id,
    /// or, when a crash hit the create or run before its id was journaled, a container
    /// other than the old one created from the same image reference.
    static bool isNewContainer(const backend::ContainerSummary& container, const JournaledUpdate& update);
    void startIfItRan(const backend::ContainerSummary& container, const JournaledUpdate& update,
                      RecoveryAction& action);
    void close(const JournaledUpdate& update, RecoveryAction& action, const std::string& outcome,
               bool warn = false);

    backend::ContainerBackend& _backend;
    DeployJournal& _journal;
    std::optional<std::string> _host;
    Poco::Logger& _logger;
};

} // namespace wiretap::deploy
