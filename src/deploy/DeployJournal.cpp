#include "deploy/DeployJournal.h"

#include "deploy/JournalError.h"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Path.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sstream>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace wiretap::deploy
{
namespace
{
using Poco::Data::Keywords::bind;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;

Poco::Int64 micros(const Poco::Timestamp& time)
{
    return static_cast<Poco::Int64>(time.epochMicroseconds());
}

std::string stringify(const Poco::JSON::Object::Ptr& json)
{
    std::ostringstream text;
    json->stringify(text);
    return text.str();
}

Poco::JSON::Object::Ptr parse(const std::string& text)
{
    // The default handler sorts keys; keep them in the order toJson() wrote them.
    Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
    return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

void checkStateDir(const std::string& stateDir)
{
    const Poco::File dir(stateDir);
    if (!dir.exists())
        throw JournalError(stateDir, "the state directory does not exist: create it, writable by the user "
                                     "wiretap runs as, or set state.dir");
    if (!dir.isDirectory())
        throw JournalError(stateDir, "state.dir is not a directory");
    if (::access(stateDir.c_str(), W_OK | X_OK) != 0)
        throw JournalError(stateDir, "the state directory is not writable by uid " +
                                         std::to_string(::geteuid()) + ": fix its owner or set state.dir");
}
} // namespace

DeployJournal::DeployJournal(const std::string& stateDir, std::size_t keep) : _keep(keep)
{
    checkStateDir(stateDir);
    _path = Poco::Path(Poco::Path::forDirectory(stateDir), kFileName).toString();
    lockStateDir(Poco::Path(Poco::Path::forDirectory(stateDir), kLockName).toString());
    try
    {
        openSession();
    }
    catch (...)
    {
        _session.reset();
        ::close(_lockFd); // the destructor will not run
        throw;
    }
}

void DeployJournal::openSession()
{
    Poco::Data::SQLite::Connector::registerConnector();
    try
    {
        // Poco retries a failed open every 10 ms until this many seconds passed (default 60).
        _session = std::make_unique<Poco::Data::Session>("SQLite", _path, kOpenTimeoutSeconds);
        // WAL: a commit is one append and one fsync of the -wal file (DELETE mode
        // writes and syncs a rollback journal, the database, then deletes the
        // journal). FULL: that fsync happens before the commit returns, so an
        // intent that was written survives power loss, not just a crash.
        std::string mode;
        *_session << "PRAGMA journal_mode=WAL", into(mode), now;
        *_session << "PRAGMA synchronous=FULL", now;
        // Only another process (an operator's sqlite3) can hold a lock: wait a
        // little, then fail the write rather than hold up the deploy.
        int busyMillis = 0;
        *_session << "PRAGMA busy_timeout=" + std::to_string(kBusyTimeoutMillis), into(busyMillis), now;
    }
    catch (const Poco::Exception& exc)
    {
        fail("cannot open", exc);
    }
    createSchema();
    std::lock_guard<std::mutex> lock(_mutex);
    prune();
}

DeployJournal::~DeployJournal()
{
    _session.reset();
    ::close(_lockFd);
}

void DeployJournal::lockStateDir(const std::string& lockPath)
{
    _lockFd = ::open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (_lockFd < 0)
        throw JournalError(lockPath, std::string("cannot open: ") + std::strerror(errno));
    if (::flock(_lockFd, LOCK_EX | LOCK_NB) != 0)
    {
        const int error = errno;
        ::close(_lockFd);
        if (error == EWOULDBLOCK)
            throw StateDirectoryInUse(lockPath, "another wiretap uses this state directory: stop it, or give "
                                                "each wiretap its own state.dir");
        throw JournalError(lockPath, std::string("cannot lock: ") + std::strerror(error));
    }
}

void DeployJournal::fail(const std::string& what, const std::exception& exc) const
{
    const auto* poco = dynamic_cast<const Poco::Exception*>(&exc);
    throw JournalError(_path, what + ": " + (poco ? poco->displayText() : std::string(exc.what())));
}

void DeployJournal::createSchema()
{
    std::lock_guard<std::mutex> lock(_mutex);
    try
    {
        *_session << "CREATE TABLE IF NOT EXISTS updates ("
                     " key INTEGER PRIMARY KEY AUTOINCREMENT,"
                     " deploy_id TEXT NOT NULL,"
                     " container TEXT NOT NULL,"
                     " old_id TEXT NOT NULL,"
                     " aside_name TEXT NOT NULL,"
                     " was_running INTEGER NOT NULL,"
                     " image TEXT NOT NULL,"
                     " step TEXT NOT NULL,"
                     " new_id TEXT NOT NULL DEFAULT '',"
                     " started_at INTEGER NOT NULL,"
                     " updated_at INTEGER NOT NULL,"
                     " finished INTEGER NOT NULL DEFAULT 0,"
                     " result TEXT NOT NULL DEFAULT '',"
                     " host TEXT NOT NULL DEFAULT '')",
            now;
        migrateSchema();
        *_session << "CREATE INDEX IF NOT EXISTS updates_open ON updates (finished, key)", now;
        *_session << "CREATE TABLE IF NOT EXISTS reports ("
                     " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                     " id TEXT NOT NULL,"
                     " image TEXT NOT NULL,"
                     " result TEXT NOT NULL,"
                     " finished_at INTEGER NOT NULL,"
                     " json TEXT NOT NULL)",
            now;
        *_session << "CREATE INDEX IF NOT EXISTS reports_id ON reports (id)", now;
    }
    catch (const Poco::Exception& exc)
    {
        fail("cannot create its tables", exc);
    }
}

void DeployJournal::migrateSchema()
{
    // Called with _mutex held, inside createSchema's try. Journals written before docker.hosts
    // existed lack updates.host: their rows get "" (see adoptHostless).
    std::vector<std::string> columns;
    Poco::Data::Statement info(*_session);
    info << "SELECT name FROM pragma_table_info('updates')", into(columns), now;
    if (std::find(columns.begin(), columns.end(), "host") == columns.end())
        *_session << "ALTER TABLE updates ADD COLUMN host TEXT NOT NULL DEFAULT ''", now;
    // Journals written before Swarm service updates were journaled lack their table. It is a
    // table of its own: an older wiretap opening this journal must not take a service update
    // for a container to recover.
    *_session << "CREATE TABLE IF NOT EXISTS service_updates ("
                 " key INTEGER PRIMARY KEY AUTOINCREMENT,"
                 " host TEXT NOT NULL DEFAULT '',"
                 " deploy_id TEXT NOT NULL,"
                 " service_id TEXT NOT NULL,"
                 " service_name TEXT NOT NULL,"
                 " old_image TEXT NOT NULL,"
                 " old_version INTEGER NOT NULL,"
                 " old_status_start TEXT NOT NULL,"
                 " image TEXT NOT NULL,"
                 " step TEXT NOT NULL,"
                 " started_at INTEGER NOT NULL,"
                 " updated_at INTEGER NOT NULL,"
                 " finished INTEGER NOT NULL DEFAULT 0,"
                 " result TEXT NOT NULL DEFAULT '')",
        now;
    *_session << "CREATE INDEX IF NOT EXISTS service_updates_open ON service_updates (finished, key)", now;
}

std::int64_t DeployJournal::begin(const JournaledUpdate& update)
{
    std::lock_guard<std::mutex> lock(_mutex);
    try
    {
        const Poco::Int64 time = micros(Poco::Timestamp());
        *_session << "INSERT INTO updates (deploy_id, container, old_id, aside_name, was_running, image,"
                     " step, new_id, started_at, updated_at, host) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            bind(update.deployId), bind(update.container), bind(update.oldId), bind(update.asideName),
            bind(update.wasRunning ? 1 : 0), bind(update.image), bind(update.step), bind(update.newId),
            bind(time), bind(time), bind(update.host), now;
        Poco::Int64 key = 0;
        *_session << "SELECT last_insert_rowid()", into(key), now;
        return key;
    }
    catch (const Poco::Exception& exc)
    {
        fail("cannot record the update of " + update.container + " before " + update.step, exc);
    }
}

void DeployJournal::step(std::int64_t key, const std::string& step, const std::string& newId)
{
    std::lock_guard<std::mutex> lock(_mutex);
    try
    {
        const Poco::Int64 time = micros(Poco::Timestamp());
        const Poco::Int64 row = key;
        *_session << "UPDATE updates SET step = ?, new_id = CASE WHEN ? = '' THEN new_id ELSE ? END,"
                     " updated_at = ? WHERE key = ?",
            bind(step), bind(newId), bind(newId), bind(time), bind(row), now;
    }
    catch (const Poco::Exception& exc)
    {
        fail("cannot record step " + step + " of update " + std::to_string(key), exc);
    }
}

void DeployJournal::finish(std::int64_t key, const std::string& result)
{
    finishRow("updates", key, result, "update " + std::to_string(key));
}

void DeployJournal::finishRow(const char* table, std::int64_t key, const std::string& result,
                              const std::string& what)
{
    std::lock_guard<std::mutex> lock(_mutex);
    try
    {
        const Poco::Int64 time = micros(Poco::Timestamp());
        const Poco::Int64 row = key;
        *_session << std::string("UPDATE ") + table +
                         " SET finished = 1, result = ?, updated_at = ? WHERE key = ?",
            bind(result), bind(time), bind(row), now;
    }
    catch (const Poco::Exception& exc)
    {
        fail("cannot record the end of " + what, exc);
    }
}

std::vector<JournaledUpdate> DeployJournal::unfinished() const
{
    return selectUpdates("finished = ?", {"0"});
}

std::vector<JournaledUpdate> DeployJournal::unfinished(const std::string& host) const
{
    return selectUpdates("finished = ? AND host = ?", {"0", host});
}

std::vector<JournaledUpdate> DeployJournal::updatesOf(const std::string& deployId) const
{
    return selectUpdates("deploy_id = ?", {deployId});
}

std::size_t DeployJournal::adoptHostless(const std::string& host)
{
    std::lock_guard<std::mutex> lock(_mutex);
    try
    {
        Poco::Int64 containers = 0;
        Poco::Int64 services = 0;
        *_session << "UPDATE updates SET host = ? WHERE host = ''", bind(host), now;
        *_session << "SELECT changes()", into(containers), now;
        *_session << "UPDATE service_updates SET host = ? WHERE host = ''", bind(host), now;
        *_session << "SELECT changes()", into(services), now;
        return static_cast<std::size_t>(containers + services);
    }
    catch (const Poco::Exception& exc)
    {
        fail("cannot give older updates to host " + host, exc);
    }
}

std::int64_t DeployJournal::beginService(const JournaledServiceUpdate& update)
{
    std::lock_guard<std::mutex> lock(_mutex);
    try
    {
        const Poco::Int64 time = micros(Poco::Timestamp());
        const Poco::Int64 version = update.oldVersion;
        *_session << "INSERT INTO service_updates (host, deploy_id, service_id, service_name, old_image,"
                     " old_version, old_status_start, image, step, started_at, updated_at)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            bind(update.host), bind(update.deployId), bind(update.serviceId), bind(update.serviceName),
            bind(update.oldImage), bind(version), bind(update.oldStatusStart), bind(update.image),
            bind(update.step), bind(time), bind(time), now;
        Poco::Int64 key = 0;
        *_session << "SELECT last_insert_rowid()", into(key), now;
        return key;
    }
    catch (const Poco::Exception& exc)
    {
        fail("cannot record the update of service " + update.serviceName, exc);
    }
}

void DeployJournal::stepService(std::int64_t key, const std::string& step)
{
    std::lock_guard<std::mutex> lock(_mutex);
    try
    {
        const Poco::Int64 time = micros(Poco::Timestamp());
        const Poco::Int64 row = key;
        *_session << "UPDATE service_updates SET step = ?, updated_at = ? WHERE key = ?", bind(step),
            bind(time), bind(row), now;
    }
    catch (const Poco::Exception& exc)
    {
        fail("cannot record step " + step + " of service update " + std::to_string(key), exc);
    }
}

void DeployJournal::finishService(std::int64_t key, const std::string& result)
{
    finishRow("service_updates", key, result, "service update " + std::to_string(key));
}

std::vector<JournaledServiceUpdate> DeployJournal::unfinishedServices() const
{
    return selectServiceUpdates("finished = ?", {"0"});
}

std::vector<JournaledServiceUpdate> DeployJournal::unfinishedServices(const std::string& host) const
{
    return selectServiceUpdates("finished = ? AND host = ?", {"0", host});
}

std::vector<JournaledServiceUpdate> DeployJournal::serviceUpdatesOf(const std::string& deployId) const
{
    return selectServiceUpdates("deploy_id = ?", {deployId});
}

std::vector<JournaledServiceUpdate>
DeployJournal::selectServiceUpdates(const std::string& where, const std::vector<std::string>& values) const
{
    std::lock_guard<std::mutex> lock(_mutex);
    try
    {
        Poco::Data::Statement select(*_session);
        select << "SELECT key, host, deploy_id, service_id, service_name, old_image, old_version,"
                  " old_status_start, image, step, started_at, updated_at, finished, result"
                  " FROM service_updates WHERE " +
                      where + " ORDER BY key";
        for (const auto& value : values)
            select, bind(value);
        select.execute();
        Poco::Data::RecordSet rows(select);
        std::vector<JournaledServiceUpdate> updates;
        for (std::size_t row = 0; row < rows.rowCount(); ++row)
        {
            const auto text = [&](std::size_t column)
            { return rows.value(column, row).convert<std::string>(); };
            const auto number = [&](std::size_t column)
            { return rows.value(column, row).convert<Poco::Int64>(); };
            JournaledServiceUpdate update;
            update.key = number(0);
            update.host = text(1);
            update.deployId = text(2);
            update.serviceId = text(3);
            update.serviceName = text(4);
            update.oldImage = text(5);
            update.oldVersion = number(6);
            update.oldStatusStart = text(7);
            update.image = text(8);
            update.step = text(9);
            update.startedAt = Poco::Timestamp(number(10));
            update.updatedAt = Poco::Timestamp(number(11));
            update.finished = number(12) != 0;
            update.result = text(13);
            updates.push_back(update);
        }
        return updates;
    }
    catch (const Poco::Exception& exc)
    {
        fail("cannot read service updates", exc);
    }
}

std::vector<JournaledUpdate> DeployJournal::selectUpdates(const std::string& where,
                                                          const std::vector<std::string>& values) const
{
    std::lock_guard<std::mutex> lock(_mutex);
    try
    {
        Poco::Data::Statement select(*_session);
        select << "SELECT key, deploy_id, container, old_id, aside_name, was_running, image, step, new_id,"
                  " started_at, updated_at, finished, result, host FROM updates WHERE " +
                      where + " ORDER BY key";
        for (const auto& value : values)
            select, bind(value);
        select.execute();
        Poco::Data::RecordSet rows(select);
        std::vector<JournaledUpdate> updates;
        for (std::size_t row = 0; row < rows.rowCount(); ++row)
        {
            JournaledUpdate update;
            update.key = rows.value(0, row).convert<Poco::Int64>();
            update.deployId = rows.value(1, row).convert<std::string>();
            update.container = rows.value(2, row).convert<std::string>();
            update.oldId = rows.value(3, row).convert<std::string>();
            update.asideName = rows.value(4, row).convert<std::string>();
            update.wasRunning = rows.value(5, row).convert<Poco::Int64>() != 0;
            update.image = rows.value(6, row).convert<std::string>();
            update.step = rows.value(7, row).convert<std::string>();
            update.newId = rows.value(8, row).convert<std::string>();
            update.startedAt = Poco::Timestamp(rows.value(9, row).convert<Poco::Int64>());
            update.updatedAt = Poco::Timestamp(rows.value(10, row).convert<Poco::Int64>());
            update.finished = rows.value(11, row).convert<Poco::Int64>() != 0;
            update.result = rows.value(12, row).convert<std::string>();
            update.host = rows.value(13, row).convert<std::string>();
            updates.push_back(std::move(update));
        }
        return updates;
    }
    catch (const Poco::Exception& exc)
    {
        fail("cannot read updates", exc);
    }
}

void DeployJournal::saveReport(const DeployReport& report)
{
    std::lock_guard<std::mutex> lock(_mutex);
    try
    {
        *_session << "INSERT INTO reports (id, image, result, finished_at, json) VALUES (?, ?, ?, ?, ?)",
            bind(report.id), bind(report.image), bind(toString(report.result)),
            bind(micros(report.finishedAt)), bind(stringify(report.toJson())), now;
    }
    catch (const Poco::Exception& exc)
    {
        fail("cannot save the report of deploy " + report.id, exc);
    }
    prune();
}

std::vector<Poco::JSON::Object::Ptr> DeployJournal::recentReports(std::size_t limit) const
{
    std::lock_guard<std::mutex> lock(_mutex);
    std::vector<std::string> texts;
    try
    {
        const Poco::Int64 count = static_cast<Poco::Int64>(limit);
        *_session << "SELECT json FROM reports ORDER BY seq DESC LIMIT ?", into(texts), bind(count), now;
        std::vector<Poco::JSON::Object::Ptr> reports;
        for (const auto& text : texts)
            reports.push_back(parse(text));
        return reports;
    }
    catch (const Poco::Exception& exc)
    {
        fail("cannot read reports", exc);
    }
}

Poco::JSON::Object::Ptr DeployJournal::findReport(const std::string& id) const
{
    std::lock_guard<std::mutex> lock(_mutex);
    std::vector<std::string> texts;
    try
    {
        *_session << "SELECT json FROM reports WHERE id = ? ORDER BY seq DESC LIMIT 1", into(texts), bind(id),
            now;
        return texts.empty() ? nullptr : parse(texts.front());
    }
    catch (const Poco::Exception& exc)
    {
        fail("cannot read report " + id, exc);
    }
}

void DeployJournal::prune()
{
    // Called with _mutex held. Open updates are never pruned: recovery needs them.
    try
    {
        const Poco::Int64 keep = static_cast<Poco::Int64>(_keep);
        *_session << "DELETE FROM reports WHERE seq <= (SELECT seq FROM reports ORDER BY seq DESC LIMIT 1 "
                     "OFFSET ?)",
            bind(keep), now;
        *_session << "DELETE FROM updates WHERE finished = 1 AND key <= (SELECT key FROM updates WHERE "
                     "finished = 1 ORDER BY key DESC LIMIT 1 OFFSET ?)",
            bind(keep), now;
        *_session << "DELETE FROM service_updates WHERE finished = 1 AND key <= (SELECT key FROM "
                     "service_updates WHERE finished = 1 ORDER BY key DESC LIMIT 1 OFFSET ?)",
            bind(keep), now;
    }
    catch (const Poco::Exception& exc)
    {
        fail("cannot prune old entries", exc);
    }
}

} // namespace wiretap::deploy
