#include "deploy/DeployJournal.h"
#include "../backend/TempDir.h"
#include "deploy/JournalError.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/File.h>

#include <cppunit/extensions/HelperMacros.h>

#include <memory>
#include <sstream>
#include <vector>

#include <unistd.h>

using wiretap::backend::TempDir;
using wiretap::deploy::DeployJournal;
using wiretap::deploy::DeployReport;
using wiretap::deploy::JournaledServiceUpdate;
using wiretap::deploy::JournaledUpdate;
using wiretap::deploy::JournalError;

namespace
{
JournaledUpdate sampleUpdate(const std::string& deployId = "d1", const std::string& name = "app1")
{
    JournaledUpdate update;
    update.deployId = deployId;
    update.container = name;
    update.oldId = std::string(64, 'a');
    update.asideName = name + "-wiretap-old-aaaaaaaaaaaa";
    update.wasRunning = true;
    update.image = "demo/hello-world-app:latest";
    update.step = "stop";
    return update;
}

JournaledServiceUpdate sampleServiceUpdate(const std::string& deployId = "d1", const std::string& host = "")
{
    JournaledServiceUpdate update;
    update.host = host;
    update.deployId = deployId;
    update.serviceId = "svc1";
    update.serviceName = "web";
    update.oldImage = "demo/app:latest@sha256:" + std::string(64, '1');
    update.oldVersion = 41;
    update.oldStatusStart = "2026-01-02T03:04:05.6Z";
    update.image = "demo/app:latest@sha256:" + std::string(64, '2');
    update.step = "update";
    return update;
}

DeployReport sampleReport(const std::string& id)
{
    DeployReport report;
    report.id = id;
    report.image = "docker.io/demo/hello-world-app:latest";
    report.result = DeployReport::Result::Updated;
    report.newImageId = "sha256:" + std::string(64, 'b');
    wiretap::deploy::ContainerReport container;
    container.name = "app1";
    container.oldId = std::string(64, 'a');
    container.newId = std::string(64, 'c');
    container.result = wiretap::deploy::ContainerReport::Result::Updated;
    container.steps.push_back({"stop", Poco::Timestamp(), 1234567, ""});
    report.containers.push_back(container);
    report.finishedAt = report.startedAt + 2345678;
    return report;
}

std::string text(const Poco::JSON::Object::Ptr& json)
{
    std::ostringstream out;
    json->stringify(out);
    return out.str();
}

template <typename Call> std::string journalErrorOf(Call&& call)
{
    try
    {
        call();
    }
    catch (const JournalError& exc)
    {
        return exc.what();
    }
    return "";
}
} // namespace

/// The journal's durable record: updates through their steps, reports behind
/// /v1/deployments, across reopening, and clear errors when it cannot write.
class DeployJournalTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(DeployJournalTest);
    CPPUNIT_TEST(testRecordsAnUpdateThroughItsSteps);
    CPPUNIT_TEST(testFinishedUpdatesAreNoLongerOpen);
    CPPUNIT_TEST(testEverythingSurvivesReopening);
    CPPUNIT_TEST(testKeepsEachHostsOpenUpdatesApart);
    CPPUNIT_TEST(testJournalWithoutHostsIsMigratedAndAdopted);
    CPPUNIT_TEST(testRecordsAServiceUpdateUntilItIsClosed);
    CPPUNIT_TEST(testServiceUpdatesAreNotContainerUpdates);
    CPPUNIT_TEST(testJournalWithoutServiceUpdatesIsMigrated);
    CPPUNIT_TEST(testReportsComeBackAsTheirJsonNewestFirst);
    CPPUNIT_TEST(testFindReportAnswersNullForAnUnknownId);
    CPPUNIT_TEST(testKeepsOnlyTheNewestReportsAndFinishedUpdates);
    CPPUNIT_TEST(testMissingStateDirThrowsWithThePath);
    CPPUNIT_TEST(testStateDirThatIsAFileThrows);
    CPPUNIT_TEST(testUnwritableStateDirThrows);
    CPPUNIT_TEST(testWriteFailureThrowsWithThePathAndSqlitesMessage);
    CPPUNIT_TEST(testUsesWalAndFullSync);
    CPPUNIT_TEST(testSecondJournalOnTheSameStateDirIsRefused);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { _dir = std::make_unique<TempDir>(); }
    void tearDown() override { _dir.reset(); }

    void testRecordsAnUpdateThroughItsSteps()
    {
        DeployJournal journal(_dir->path());
        const auto key = journal.begin(sampleUpdate());
        journal.step(key, "rename");
        journal.step(key, "create");
        journal.step(key, "created", std::string(64, 'c'));
        journal.step(key, "start"); // an empty new id keeps the recorded one
        const auto open = journal.unfinished();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), open.size());
        const auto& update = open.front();
        CPPUNIT_ASSERT_EQUAL(key, update.key);
        CPPUNIT_ASSERT_EQUAL(std::string("d1"), update.deployId);
        CPPUNIT_ASSERT_EQUAL(std::string("app1"), update.container);
        CPPUNIT_ASSERT_EQUAL(std::string(64, 'a'), update.oldId);
        CPPUNIT_ASSERT_EQUAL(std::string("app1-wiretap-old-aaaaaaaaaaaa"), update.asideName);
        CPPUNIT_ASSERT(update.wasRunning);
        CPPUNIT_ASSERT_EQUAL(std::string("demo/hello-world-app:latest"), update.image);
        CPPUNIT_ASSERT_EQUAL(std::string("start"), update.step);
        CPPUNIT_ASSERT_EQUAL(std::string(64, 'c'), update.newId);
        CPPUNIT_ASSERT(!update.finished);
        CPPUNIT_ASSERT(update.updatedAt >= update.startedAt);
        CPPUNIT_ASSERT(update.startedAt.elapsed() < 60 * Poco::Timestamp::resolution());
    }

    void testFinishedUpdatesAreNoLongerOpen()
    {
        DeployJournal journal(_dir->path());
        const auto first = journal.begin(sampleUpdate("d1", "app1"));
        journal.begin(sampleUpdate("d1", "app2"));
        journal.finish(first, "updated");
        const auto open = journal.unfinished();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), open.size());
        CPPUNIT_ASSERT_EQUAL(std::string("app2"), open.front().container);
        const auto all = journal.updatesOf("d1");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), all.size());
        CPPUNIT_ASSERT(all[0].finished);
        CPPUNIT_ASSERT_EQUAL(std::string("updated"), all[0].result);
    }

    void testEverythingSurvivesReopening()
    {
        std::int64_t key = 0;
        {
            DeployJournal journal(_dir->path());
            key = journal.begin(sampleUpdate());
            journal.step(key, "created", std::string(64, 'c'));
            journal.saveReport(sampleReport("r1"));
        }
        DeployJournal reopened(_dir->path());
        const auto open = reopened.unfinished();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), open.size());
        CPPUNIT_ASSERT_EQUAL(key, open.front().key);
        CPPUNIT_ASSERT_EQUAL(std::string("created"), open.front().step);
        CPPUNIT_ASSERT_EQUAL(std::string(64, 'c'), open.front().newId);
        CPPUNIT_ASSERT(reopened.findReport("r1"));
        CPPUNIT_ASSERT(reopened.begin(sampleUpdate("d2")) > key); // keys are never reused
    }

    void testKeepsEachHostsOpenUpdatesApart()
    {
        DeployJournal journal(_dir->path());
        auto update = sampleUpdate("d1", "app1");
        update.host = "web1";
        journal.begin(update);
        update.host = "web2";
        journal.begin(update);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), journal.unfinished().size());
        const auto web2 = journal.unfinished("web2");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), web2.size());
        CPPUNIT_ASSERT_EQUAL(std::string("web2"), web2[0].host);
        CPPUNIT_ASSERT(journal.unfinished("web3").empty());
    }

    void testJournalWithoutHostsIsMigratedAndAdopted()
    {
        {
            // The updates table as wiretap wrote it before docker.hosts.
            auto old = oldJournal("");
            *old << "INSERT INTO updates (deploy_id, container, old_id, aside_name, was_running, image, step,"
                    " started_at, updated_at) VALUES ('d0', 'app1', 'a', 'app1-old', 1, 'demo/app', 'stop', "
                    "1, 1)",
                Poco::Data::Keywords::now;
        }
        DeployJournal journal(_dir->path());
        const auto open = journal.unfinished();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), open.size());
        CPPUNIT_ASSERT_EQUAL(std::string(""), open[0].host);
        CPPUNIT_ASSERT_EQUAL(std::string("app1"), open[0].container);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), journal.adoptHostless("web1"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), journal.unfinished("web1").size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), journal.adoptHostless("web1"));
    }

    void testRecordsAServiceUpdateUntilItIsClosed()
    {
        DeployJournal journal(_dir->path());
        const auto key = journal.beginService(sampleServiceUpdate("d1", "web1"));
        journal.stepService(key, "rollback");
        const auto open = journal.unfinishedServices("web1");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), open.size());
        const auto& update = open.front();
        CPPUNIT_ASSERT_EQUAL(key, update.key);
        CPPUNIT_ASSERT_EQUAL(std::string("web1"), update.host);
        CPPUNIT_ASSERT_EQUAL(std::string("d1"), update.deployId);
        CPPUNIT_ASSERT_EQUAL(std::string("svc1"), update.serviceId);
        CPPUNIT_ASSERT_EQUAL(std::string("web"), update.serviceName);
        CPPUNIT_ASSERT_EQUAL(sampleServiceUpdate().oldImage, update.oldImage);
        CPPUNIT_ASSERT_EQUAL(41LL, update.oldVersion);
        CPPUNIT_ASSERT_EQUAL(std::string("2026-01-02T03:04:05.6Z"), update.oldStatusStart);
        CPPUNIT_ASSERT_EQUAL(sampleServiceUpdate().image, update.image);
        CPPUNIT_ASSERT_EQUAL(std::string("rollback"), update.step);
        CPPUNIT_ASSERT(update.startedAt.elapsed() < 60 * Poco::Timestamp::resolution());
        CPPUNIT_ASSERT(journal.unfinishedServices("web2").empty());
        journal.finishService(key, "rolled_back by wiretap");
        CPPUNIT_ASSERT(journal.unfinishedServices().empty());
    }

    void testServiceUpdatesAreNotContainerUpdates()
    {
        DeployJournal journal(_dir->path());
        journal.beginService(sampleServiceUpdate());
        CPPUNIT_ASSERT(journal.unfinished().empty());
        CPPUNIT_ASSERT(journal.updatesOf("d1").empty());
        journal.begin(sampleUpdate());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), journal.unfinishedServices().size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), journal.serviceUpdatesOf("d1").size());
    }

    void testJournalWithoutServiceUpdatesIsMigrated()
    {
        {
            // The journal as wiretap wrote it before service updates were journaled.
            auto old = oldJournal(", host TEXT NOT NULL DEFAULT ''");
            *old << "INSERT INTO updates (deploy_id, container, old_id, aside_name, was_running, image, step,"
                    " started_at, updated_at, host) VALUES ('d0', 'app1', 'a', 'app1-old', 1, 'demo/app', "
                    "'stop', 1, 1, '')",
                Poco::Data::Keywords::now;
        }
        {
            DeployJournal journal(_dir->path());
            CPPUNIT_ASSERT(journal.unfinishedServices().empty());
            CPPUNIT_ASSERT_EQUAL(std::size_t(1), journal.unfinished().size());
            journal.beginService(sampleServiceUpdate("d1", ""));
        }
        DeployJournal reopened(_dir->path()); // the migration is not repeated
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), reopened.unfinishedServices().size());
        // One implicit host's entries (the old container one and the new service one) go to
        // the first host once docker.hosts is set.
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), reopened.adoptHostless("web1"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), reopened.unfinishedServices("web1").size());
    }

    void testReportsComeBackAsTheirJsonNewestFirst()
    {
        DeployJournal journal(_dir->path());
        std::vector<DeployReport> saved;
        for (const std::string id : {"r1", "r2", "r3"})
        {
            saved.push_back(sampleReport(id));
            journal.saveReport(saved.back());
        }
        const auto recent = journal.recentReports(2);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), recent.size());
        CPPUNIT_ASSERT_EQUAL(std::string("r3"), recent[0]->getValue<std::string>("id"));
        CPPUNIT_ASSERT_EQUAL(std::string("r2"), recent[1]->getValue<std::string>("id"));
        // The same JSON, keys in the same order, as the report gave.
        CPPUNIT_ASSERT_EQUAL(text(saved[2].toJson()), text(recent[0]));
        CPPUNIT_ASSERT_EQUAL(text(saved[0].toJson()), text(journal.findReport("r1")));
    }

    void testFindReportAnswersNullForAnUnknownId()
    {
        DeployJournal journal(_dir->path());
        journal.saveReport(sampleReport("r1"));
        CPPUNIT_ASSERT(journal.findReport("nope").isNull());
        CPPUNIT_ASSERT(journal.recentReports(10).size() == 1);
    }

    void testKeepsOnlyTheNewestReportsAndFinishedUpdates()
    {
        DeployJournal journal(_dir->path(), 3);
        for (int i = 1; i <= 5; ++i)
            journal.saveReport(sampleReport("r" + std::to_string(i)));
        const auto recent = journal.recentReports(10);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), recent.size());
        CPPUNIT_ASSERT_EQUAL(std::string("r5"), recent[0]->getValue<std::string>("id"));
        CPPUNIT_ASSERT(journal.findReport("r2").isNull());

        const auto open = journal.begin(sampleUpdate("d0"));
        for (int i = 1; i <= 5; ++i)
            journal.finish(journal.begin(sampleUpdate("d" + std::to_string(i))), "updated");
        journal.saveReport(sampleReport("r6"));                            // prunes
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), journal.unfinished().size()); // an open one is never pruned
        CPPUNIT_ASSERT_EQUAL(open, journal.unfinished().front().key);
        CPPUNIT_ASSERT(journal.updatesOf("d1").empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), journal.updatesOf("d5").size());
    }

    void testMissingStateDirThrowsWithThePath()
    {
        const std::string missing = _dir->path() + "/missing";
        const std::string error = journalErrorOf([&] { DeployJournal journal(missing); });
        CPPUNIT_ASSERT_MESSAGE(error, error.find(missing) != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(error, error.find("does not exist") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(error, error.find("state.dir") != std::string::npos);
    }

    void testStateDirThatIsAFileThrows()
    {
        const std::string file = _dir->write("plain", "not a directory");
        const std::string error = journalErrorOf([&] { DeployJournal journal(file); });
        CPPUNIT_ASSERT_MESSAGE(error, error.find("not a directory") != std::string::npos);
    }

    void testUnwritableStateDirThrows()
    {
        // root writes anywhere a mode allows nothing; /proc refuses even root.
        std::string dir = "/proc";
        if (::geteuid() != 0)
        {
            dir = _dir->path() + "/readonly";
            Poco::File(dir).createDirectories();
            Poco::File(dir).setWriteable(false);
        }
        const std::string error = journalErrorOf([&] { DeployJournal journal(dir); });
        CPPUNIT_ASSERT_MESSAGE(error, !error.empty());
        CPPUNIT_ASSERT_MESSAGE(error, error.find(dir) != std::string::npos);
        if (::geteuid() != 0)
            Poco::File(dir).setWriteable(true);
    }

    void testWriteFailureThrowsWithThePathAndSqlitesMessage()
    {
        DeployJournal journal(_dir->path());
        // Another process holding the write lock fails writes as a full disk
        // would: the error must name the file and say what SQLite said.
        Poco::Data::Session other("SQLite", journal.path());
        other << "BEGIN EXCLUSIVE", Poco::Data::Keywords::now;
        const std::string error = journalErrorOf([&] { journal.begin(sampleUpdate()); });
        other << "ROLLBACK", Poco::Data::Keywords::now;
        CPPUNIT_ASSERT_MESSAGE(error, error.find(journal.path()) != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(error, error.find("before stop") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(error, error.find("locked") != std::string::npos);
        journal.begin(sampleUpdate()); // and works again once the lock is gone
    }

    void testUsesWalAndFullSync()
    {
        DeployJournal journal(_dir->path());
        Poco::Data::Session other("SQLite", journal.path());
        std::string mode;
        other << "PRAGMA journal_mode", Poco::Data::Keywords::into(mode), Poco::Data::Keywords::now;
        CPPUNIT_ASSERT_EQUAL(std::string("wal"), mode);
        CPPUNIT_ASSERT_EQUAL(_dir->path() + "/wiretap.db", journal.path());
    }

    void testSecondJournalOnTheSameStateDirIsRefused()
    {
        auto first = std::make_unique<DeployJournal>(_dir->path());
        const std::string error = journalErrorOf([&] { DeployJournal second(_dir->path()); });
        CPPUNIT_ASSERT_MESSAGE(error,
                               error.find("another wiretap uses this state directory") != std::string::npos);
        first.reset();
        DeployJournal third(_dir->path()); // free again once the first is closed
    }

private:
    /// A journal file with only the updates table of an older wiretap: its columns, then
    /// `moreColumns` (", host ..." once docker.hosts existed).
    std::unique_ptr<Poco::Data::Session> oldJournal(const std::string& moreColumns)
    {
        Poco::Data::SQLite::Connector::registerConnector();
        auto old =
            std::make_unique<Poco::Data::Session>("SQLite", _dir->path() + "/" + DeployJournal::kFileName);
        *old << "CREATE TABLE updates (key INTEGER PRIMARY KEY AUTOINCREMENT, deploy_id TEXT NOT NULL,"
                " container TEXT NOT NULL, old_id TEXT NOT NULL, aside_name TEXT NOT NULL,"
                " was_running INTEGER NOT NULL, image TEXT NOT NULL, step TEXT NOT NULL,"
                " new_id TEXT NOT NULL DEFAULT '', started_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
                " finished INTEGER NOT NULL DEFAULT 0, result TEXT NOT NULL DEFAULT ''" +
                    moreColumns + ")",
            Poco::Data::Keywords::now;
        return old;
    }

    std::unique_ptr<TempDir> _dir;
};

CPPUNIT_TEST_SUITE_REGISTRATION(DeployJournalTest);
