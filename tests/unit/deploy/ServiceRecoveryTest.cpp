#include "deploy/ServiceRecovery.h"
#include "../backend/MockContainerBackend.h"
#include "../backend/TempDir.h"
#include "deploy/DeployJournal.h"

#include <Poco/Thread.h>

#include <cppunit/extensions/HelperMacros.h>

#include <memory>

using wiretap::backend::MockContainerBackend;
using wiretap::backend::ServiceSummary;
using wiretap::backend::TempDir;
using wiretap::deploy::DeployJournal;
using wiretap::deploy::DeployReport;
using wiretap::deploy::DeploySettings;
using wiretap::deploy::JournaledServiceUpdate;
using wiretap::deploy::ServiceRecovery;

namespace
{
const std::string kOldImage = "demo/app:latest@sha256:" + std::string(64, '1');
const std::string kNewImage = "demo/app:latest@sha256:" + std::string(64, '2');
const std::string kPausedMessage = "update paused due to failure or early termination of task x1";
} // namespace

/// Start-up recovery of the Swarm service updates a crash interrupted: each open entry ended as
/// the deploy would have ended it, by what the service shows now; nothing else touched.
class ServiceRecoveryTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ServiceRecoveryTest);
    CPPUNIT_TEST(testPausedUpdateIsRolledBackByWiretap);
    CPPUNIT_TEST(testUpdatingUpdateIsFollowedToCompletion);
    CPPUNIT_TEST(testUpdatingUpdateIsRolledBackOnceItsTimeoutCountedFromItsStartPassed);
    CPPUNIT_TEST(testCompletedUpdateIsClosedAsUpdated);
    CPPUNIT_TEST(testSwarmsCompletedRollbackIsClosedAsRolledBackBySwarm);
    CPPUNIT_TEST(testWiretapsRollbackUnderWayIsFollowedNotRolledBackAgain);
    CPPUNIT_TEST(testServiceGoneClosesTheEntry);
    CPPUNIT_TEST(testServiceOnAnotherImageIsLeftAlone);
    CPPUNIT_TEST(testUpdateThatNeverReachedSwarmIsClosed);
    CPPUNIT_TEST(testEngineFailureLeavesTheEntryOpen);
    CPPUNIT_TEST(testOtherHostsEntriesAreLeftAlone);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _dir = std::make_unique<TempDir>();
        _journal = std::make_unique<DeployJournal>(_dir->path());
        _backend = MockContainerBackend();
        _backend.swarmManager = true;
        _settings = DeploySettings();
        _settings.servicePollInterval = Poco::Timespan(0);
    }

    void tearDown() override
    {
        _journal.reset();
        _dir.reset();
    }

    void testPausedUpdateIsRolledBackByWiretap()
    {
        const auto key = journalUpdate();
        addService("web", kNewImage, 6, {"paused", "t1", kPausedMessage});
        // A paused service the journal does not name is not wiretap's to roll back.
        addService("api", kNewImage, 9, {"paused", "t9", kPausedMessage});
        const auto reports = recover();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _backend.callsTo("rollbackService").size());
        CPPUNIT_ASSERT_EQUAL(std::string("rollbackService web-id"), _backend.callsTo("rollbackService")[0]);
        CPPUNIT_ASSERT_EQUAL(kOldImage, _backend.serviceImage("web"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), reports.size());
        const auto& report = reports[0];
        CPPUNIT_ASSERT_EQUAL(std::string("d1"), report.id);
        CPPUNIT_ASSERT(report.recovery);
        CPPUNIT_ASSERT(report.toJson()->getValue<bool>("recovery"));
        CPPUNIT_ASSERT_EQUAL(std::string("docker.io/demo/app:latest"), report.image);
        CPPUNIT_ASSERT_EQUAL(std::string("rolled_back"), toString(report.result));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), report.services.size());
        CPPUNIT_ASSERT_EQUAL(std::string("rolled_back"), toString(report.services[0].result));
        CPPUNIT_ASSERT_EQUAL(std::string("wiretap"), report.services[0].rolledBackBy);
        CPPUNIT_ASSERT(report.services[0].reason.find(kPausedMessage) != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string(ServiceRecovery::kRolledBackByWiretap), resultOf(key));
    }

    void testUpdatingUpdateIsFollowedToCompletion()
    {
        const auto key = journalUpdate();
        addService("web", kNewImage, 6, {"updating", "t1", "update in progress"});
        _backend.scriptInspect("web",
                               {{"updating", "t1", ""}, {"updating", "t1", ""}, {"completed", "t1", ""}});
        const auto reports = recover();
        CPPUNIT_ASSERT_EQUAL(std::string("updated"), toString(reports.at(0).services.at(0).result));
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), _backend.callsTo("inspectService").size());
        CPPUNIT_ASSERT(_backend.callsTo("rollbackService").empty());
        CPPUNIT_ASSERT_EQUAL(std::string(ServiceRecovery::kUpdated), resultOf(key));
    }

    void testUpdatingUpdateIsRolledBackOnceItsTimeoutCountedFromItsStartPassed()
    {
        _settings.serviceTimeout = Poco::Timespan(1, 0);
        const auto key = journalUpdate();
        addService("web", kNewImage, 6, {"updating", "t1", "update in progress"});
        Poco::Thread::sleep(1100); // wiretap was down longer than the update's timeout
        const Poco::Timestamp started;
        const auto reports = recover();
        // Rolled back at the first look: the timeout does not start again at the restart.
        CPPUNIT_ASSERT(started.elapsed() < 500 * 1000);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _backend.callsTo("rollbackService").size());
        const auto& service = reports.at(0).services.at(0);
        CPPUNIT_ASSERT_EQUAL(std::string("rolled_back"), toString(service.result));
        CPPUNIT_ASSERT_EQUAL(std::string("wiretap"), service.rolledBackBy);
        CPPUNIT_ASSERT(service.reason.find("did not converge within 1s") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string(ServiceRecovery::kRolledBackByWiretap), resultOf(key));
    }

    void testCompletedUpdateIsClosedAsUpdated()
    {
        const auto key = journalUpdate();
        addService("web", kNewImage, 6, {"completed", "t1", "update completed"});
        const auto reports = recover();
        CPPUNIT_ASSERT_EQUAL(std::string("updated"), toString(reports.at(0).result));
        CPPUNIT_ASSERT(_backend.callsTo("rollbackService").empty());
        CPPUNIT_ASSERT(_backend.callsTo("updateServiceImage").empty());
        CPPUNIT_ASSERT_EQUAL(std::string(ServiceRecovery::kUpdated), resultOf(key));
    }

    void testSwarmsCompletedRollbackIsClosedAsRolledBackBySwarm()
    {
        const auto key = journalUpdate();
        addService("web", kOldImage, 7, {"rollback_completed", "t2", "rollback completed"});
        const auto reports = recover();
        const auto& service = reports.at(0).services.at(0);
        CPPUNIT_ASSERT_EQUAL(std::string("rolled_back"), toString(service.result));
        CPPUNIT_ASSERT_EQUAL(std::string("swarm"), service.rolledBackBy);
        CPPUNIT_ASSERT_EQUAL(std::string("inspectService web-id"), joinedCalls());
        CPPUNIT_ASSERT_EQUAL(std::string(ServiceRecovery::kRolledBackBySwarm), resultOf(key));
    }

    void testWiretapsRollbackUnderWayIsFollowedNotRolledBackAgain()
    {
        const auto key = journalUpdate();
        _journal->stepService(key, "rollback");
        addService("web", kOldImage, 7, {"rollback_started", "t2", "manually requested rollback"});
        _backend.scriptInspect("web", {{"rollback_started", "t2", ""}, {"rollback_completed", "t2", "done"}});
        const auto reports = recover();
        const auto& service = reports.at(0).services.at(0);
        CPPUNIT_ASSERT_EQUAL(std::string("rolled_back"), toString(service.result));
        CPPUNIT_ASSERT_EQUAL(std::string("wiretap"), service.rolledBackBy);
        CPPUNIT_ASSERT(_backend.callsTo("rollbackService").empty());
        CPPUNIT_ASSERT(_backend.callsTo("updateServiceImage").empty());
        CPPUNIT_ASSERT_EQUAL(std::string(ServiceRecovery::kRolledBackByWiretap), resultOf(key));
    }

    void testServiceGoneClosesTheEntry()
    {
        const auto key = journalUpdate();
        const auto reports = recover();
        CPPUNIT_ASSERT_EQUAL(std::string("skipped"), toString(reports.at(0).services.at(0).result));
        CPPUNIT_ASSERT_EQUAL(std::string("no_match"), toString(reports.at(0).result));
        CPPUNIT_ASSERT_EQUAL(std::string("inspectService web-id,listServices"), joinedCalls());
        CPPUNIT_ASSERT_EQUAL(std::string(ServiceRecovery::kGone), resultOf(key));
    }

    void testServiceOnAnotherImageIsLeftAlone()
    {
        const auto key = journalUpdate();
        addService("web", "demo/app:latest@sha256:" + std::string(64, '3'), 8,
                   {"paused", "t3", kPausedMessage});
        const auto reports = recover();
        CPPUNIT_ASSERT_EQUAL(std::string("skipped"), toString(reports.at(0).services.at(0).result));
        CPPUNIT_ASSERT_EQUAL(std::string("inspectService web-id"), joinedCalls());
        CPPUNIT_ASSERT_EQUAL(std::string(ServiceRecovery::kLeftAlone), resultOf(key));
    }

    void testUpdateThatNeverReachedSwarmIsClosed()
    {
        const auto key = journalUpdate();
        addService("web", kOldImage, 5, {"completed", "t0", "update completed"});
        const auto reports = recover();
        CPPUNIT_ASSERT_EQUAL(std::string("skipped"), toString(reports.at(0).services.at(0).result));
        CPPUNIT_ASSERT_EQUAL(std::string("inspectService web-id"), joinedCalls());
        CPPUNIT_ASSERT_EQUAL(std::string(ServiceRecovery::kNotStarted), resultOf(key));
    }

    void testEngineFailureLeavesTheEntryOpen()
    {
        journalUpdate();
        addService("web", kNewImage, 6, {"paused", "t1", kPausedMessage});
        _backend.failOn("inspectService", "Cannot connect to the Docker daemon", 1);
        CPPUNIT_ASSERT(recover().empty());
        CPPUNIT_ASSERT(_backend.callsTo("rollbackService").empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _journal->unfinishedServices().size());
        // The next start finishes it.
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), recover().size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _backend.callsTo("rollbackService").size());
        CPPUNIT_ASSERT(_journal->unfinishedServices().empty());
    }

    void testOtherHostsEntriesAreLeftAlone()
    {
        journalUpdate("b");
        addService("web", kNewImage, 6, {"paused", "t1", kPausedMessage});
        CPPUNIT_ASSERT(ServiceRecovery(_backend, *_journal, _settings, std::string("a")).run().empty());
        CPPUNIT_ASSERT(_backend.calls().empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _journal->unfinishedServices("b").size());
    }

private:
    /// The entry a deploy wrote before asking Swarm to move web from version 5 on the old image
    /// (its last update's status started at t0) to the new image.
    std::int64_t journalUpdate(const std::string& host = "")
    {
        JournaledServiceUpdate entry;
        entry.host = host;
        entry.deployId = "d1";
        entry.serviceId = "web-id";
        entry.serviceName = "web";
        entry.oldImage = kOldImage;
        entry.oldVersion = 5;
        entry.oldStatusStart = "t0";
        entry.image = kNewImage;
        entry.step = "update";
        return _journal->beginService(entry);
    }

    void addService(const std::string& name, const std::string& image, long long version,
                    const wiretap::backend::ServiceUpdateStatus& status)
    {
        ServiceSummary service;
        service.id = name + "-id";
        service.name = name;
        service.image = image;
        service.version = version;
        service.replicas = 2;
        service.update = status;
        _backend.addService(service, image == kNewImage ? kOldImage : "");
    }

    std::vector<DeployReport> recover() { return ServiceRecovery(_backend, *_journal, _settings).run(); }

    std::string resultOf(std::int64_t key) const
    {
        for (const auto& update : _journal->serviceUpdatesOf("d1"))
            if (update.key == key)
                return update.finished ? update.result : "(open)";
        return "(none)";
    }

    std::string joinedCalls() const
    {
        std::string out;
        for (const auto& call : _backend.calls())
            out += (out.empty() ? "" : ",") + call;
        return out;
    }

    std::unique_ptr<TempDir> _dir;
    std::unique_ptr<DeployJournal> _journal;
    MockContainerBackend _backend;
    DeploySettings _settings;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ServiceRecoveryTest);
