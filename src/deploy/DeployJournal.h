#pragma once

#include "deploy/DeployReport.h"

#include <Poco/Data/Session.h>
#include <Poco/JSON/Object.h>
#include <Poco/Timestamp.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace wiretap::deploy
{

/// One container update as the journal knows it: everything crash recovery
/// needs to put the container back under its name.
struct JournaledUpdate
{
    std::int64_t key = 0; ///< the journal's own id of the entry
    std::string host;     ///< the docker host's name ("" in entries from before hosts existed)
    std::string deployId;
    std::string container; ///< the original name
    std::string oldId;
    std::string asideName; ///< where the old container waits while the new one starts
    bool wasRunning = false;
    std::string image; ///< the reference the new container is created from
    std::string step;  ///< the step about to run (or running) when last written
    std::string newId; ///< the new container, once created
    Poco::Timestamp startedAt;
    Poco::Timestamp updatedAt;
    bool finished = false;
    std::string result; ///< updated, rolled_back, failed, recovered: ...
};

/// One Swarm service update as the journal knows it: what ServiceRecovery needs to find out how
/// an update a crash interrupted ended, and to finish it.
struct JournaledServiceUpdate
{
    std::int64_t key = 0;
    std::string host; ///< the docker host's name ("" with one implicit host)
    std::string deployId;
    std::string serviceId;
    std::string serviceName;
    std::string oldImage;       ///< the spec's image before the update
    long long oldVersion = 0;   ///< the spec's Version.Index before the update
    std::string oldStatusStart; ///< UpdateStatus.StartedAt before the update ("" when none)
    std::string image;          ///< the image the update asks for (repo:tag@sha256:...)
    std::string step;           ///< what wiretap asked Swarm for last: "update" or "rollback"
    Poco::Timestamp startedAt;  ///< when the update was asked for: deploy.serviceTimeout counts from here
    Poco::Timestamp updatedAt;
    bool finished = false;
    std::string result; ///< updated, rolled_back by swarm, failed, recovered: ...
};

/// The durable record of wiretap's deploys, in SQLite (`<state.dir>/wiretap.db`):
/// each container update, written before every step that changes a container,
/// each Swarm service update, written before the update and before a rollback,
/// and the finished deploy reports behind /v1/deployments. A write returns
/// only when it is on disk (synchronous=FULL). Every failure throws
/// JournalError. Thread-safe: one session behind a mutex.
class DeployJournal
{
public:
    static constexpr const char* kFileName = "wiretap.db";
    static constexpr const char* kLockName = "wiretap.lock";
    static constexpr std::size_t kDefaultKeep = 1000;
    static constexpr int kBusyTimeoutMillis = 1000;
    static constexpr std::size_t kOpenTimeoutSeconds = 1;

    /// Opens (creating if needed) the journal in `stateDir`, which must exist
    /// and be writable. Keeps the newest `keep` reports and finished updates.
    /// Holds `wiretap.lock` there while open: a second wiretap on the same
    /// state.dir is refused, so recovery never "repairs" a live deploy.
    explicit DeployJournal(const std::string& stateDir, std::size_t keep = kDefaultKeep);
    ~DeployJournal();
    DeployJournal(const DeployJournal&) = delete;
    DeployJournal& operator=(const DeployJournal&) = delete;

    const std::string& path() const { return _path; }

    /// Records an update about to start at `update.step`; returns its key.
    std::int64_t begin(const JournaledUpdate& update);
    /// Records the step about to run; `newId` (when not empty) is the new container.
    void step(std::int64_t key, const std::string& step, const std::string& newId = "");
    /// Closes the entry with its result.
    void finish(std::int64_t key, const std::string& result);
    /// Entries not finished, oldest first: what a crash interrupted.
    std::vector<JournaledUpdate> unfinished() const;
    /// The unfinished entries of one docker host.
    std::vector<JournaledUpdate> unfinished(const std::string& host) const;
    /// Gives the entries written before hosts existed, or with one implicit host (host ""), to
    /// `host`, the engine wiretap drove then; returns how many (service updates included).
    std::size_t adoptHostless(const std::string& host);

    /// Records a service update about to be asked for (`update.step`); returns its key.
    std::int64_t beginService(const JournaledServiceUpdate& update);
    /// Records what wiretap is about to ask Swarm for next ("rollback").
    void stepService(std::int64_t key, const std::string& step);
    /// Closes the service update with its result.
    void finishService(std::int64_t key, const std::string& result);
    /// Service updates not finished, oldest first; with a `host`, only that docker host's.
    std::vector<JournaledServiceUpdate> unfinishedServices() const;
    std::vector<JournaledServiceUpdate> unfinishedServices(const std::string& host) const;
    /// Every service update of a deploy, oldest first.
    std::vector<JournaledServiceUpdate> serviceUpdatesOf(const std::string& deployId) const;
    /// Every entry of a deploy, oldest first.
    std::vector<JournaledUpdate> updatesOf(const std::string& deployId) const;

    void saveReport(const DeployReport& report);
    /// Up to `limit` reports as DeployReport::toJson() gave them, newest first.
    std::vector<Poco::JSON::Object::Ptr> recentReports(std::size_t limit) const;
    /// The newest report with this id; null when there is none.
    Poco::JSON::Object::Ptr findReport(const std::string& id) const;

private:
    void lockStateDir(const std::string& lockPath);
    void openSession();
    void createSchema();
    /// Adds what older versions' journals lack (updates.host, the service_updates table).
    void migrateSchema();
    void prune();
    std::vector<JournaledUpdate> selectUpdates(const std::string& where,
                                               const std::vector<std::string>& values) const;
    std::vector<JournaledServiceUpdate> selectServiceUpdates(const std::string& where,
                                                             const std::vector<std::string>& values) const;
    /// Marks row `key` of `table` (updates or service_updates) finished with `result`;
    /// `what` names the row in the error.
    void finishRow(const char* table, std::int64_t key, const std::string& result, const std::string& what);
    [[noreturn]] void fail(const std::string& what, const std::exception& exc) const;

    std::string _path;
    std::size_t _keep;
    mutable std::mutex _mutex;
    int _lockFd = -1;
    std::unique_ptr<Poco::Data::Session> _session;
};

} // namespace wiretap::deploy
