#include "deploy/ServiceUpdater.h"
#include "../backend/MockContainerBackend.h"

#include <cppunit/extensions/HelperMacros.h>

using wiretap::backend::MockContainerBackend;
using wiretap::backend::ServiceSummary;
using wiretap::backend::ServiceUpdateStatus;
using wiretap::deploy::DeploySettings;
using wiretap::deploy::ServiceReport;
using wiretap::deploy::ServiceUpdater;
using Phase = wiretap::deploy::ServiceUpdater::Phase;

namespace
{
const std::string kOldImage = "demo/web:v1@sha256:" + std::string(64, 'a');
const std::string kNewImage = "demo/web:v1@sha256:" + std::string(64, 'b');
const std::string kBefore = "2026-11-29T11:00:00.1Z"; ///< StartedAt of the service's previous update
const std::string kUpdate = "2026-11-29T11:10:00.1Z";
const std::string kRollback = "2026-11-29T11:15:00.1Z";
const std::string kPausedMessage = "update paused due to failure or early termination of task x1";
} // namespace

/// The update/rollback decision, on the mock backend's scripted UpdateStatus sequences.
class ServiceUpdaterTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ServiceUpdaterTest);
    CPPUNIT_TEST(testPhaseOfEachState);
    CPPUNIT_TEST(testCompletedUpdateIsUpdated);
    CPPUNIT_TEST(testStatusOfThePreviousUpdateIsNotTakenForTheOutcome);
    CPPUNIT_TEST(testPausedUpdateIsRolledBackByWiretap);
    CPPUNIT_TEST(testFailureActionRollbackIsRolledBackBySwarmWithoutASecondRollback);
    CPPUNIT_TEST(testSwarmsPausedRollbackIsFailed);
    CPPUNIT_TEST(testUpdateThatDoesNotConvergeInTimeIsRolledBack);
    CPPUNIT_TEST(testPausedRollbackIsFailed);
    CPPUNIT_TEST(testFailedRollbackCallIsFailed);
    CPPUNIT_TEST(testRefusedUpdateIsFailedAndNothingElseIsAsked);
    CPPUNIT_TEST(testFailureActionContinueIsNoted);
    CPPUNIT_TEST(testServiceWithoutReplicasIsUpdatedAtOnce);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _backend = MockContainerBackend();
        _settings = DeploySettings();
        _settings.servicePollInterval = Poco::Timespan(0);
        _service = ServiceSummary();
        _service.id = "svc1";
        _service.name = "web";
        _service.image = kOldImage;
        _service.replicas = 3;
        _service.update = {"completed", kBefore, "update completed"};
    }

    void testPhaseOfEachState()
    {
        CPPUNIT_ASSERT(Phase::NotStarted == ServiceUpdater::phaseOf({}, kBefore));
        CPPUNIT_ASSERT(Phase::NotStarted == ServiceUpdater::phaseOf({"paused", kBefore, ""}, kBefore));
        CPPUNIT_ASSERT(Phase::Paused == ServiceUpdater::phaseOf({"paused", kBefore, ""}, ""));
        CPPUNIT_ASSERT(Phase::Updating == ServiceUpdater::phaseOf({"updating", kUpdate, ""}, kBefore));
        CPPUNIT_ASSERT(Phase::Completed == ServiceUpdater::phaseOf({"completed", kUpdate, ""}, kBefore));
        CPPUNIT_ASSERT(Phase::Paused == ServiceUpdater::phaseOf({"paused", kUpdate, ""}, kBefore));
        CPPUNIT_ASSERT(Phase::RollingBack ==
                       ServiceUpdater::phaseOf({"rollback_started", kUpdate, ""}, kBefore));
        CPPUNIT_ASSERT(Phase::RolledBack ==
                       ServiceUpdater::phaseOf({"rollback_completed", kUpdate, ""}, kBefore));
        CPPUNIT_ASSERT(Phase::RollbackPaused ==
                       ServiceUpdater::phaseOf({"rollback_paused", kUpdate, ""}, kBefore));
        CPPUNIT_ASSERT(Phase::Updating == ServiceUpdater::phaseOf({"some_new_state", kUpdate, ""}, kBefore));
    }

    void testCompletedUpdateIsUpdated()
    {
        add();
        _backend.scriptUpdate("web",
                              {{}, {"updating", kUpdate, ""}, {"completed", kUpdate, "update completed"}});
        const auto report = update();
        CPPUNIT_ASSERT_EQUAL(std::string("updated"), toString(report.result));
        CPPUNIT_ASSERT_EQUAL(kNewImage, report.newImage);
        CPPUNIT_ASSERT_EQUAL(kOldImage, report.oldImage);
        CPPUNIT_ASSERT(report.rolledBackBy.empty());
        CPPUNIT_ASSERT_EQUAL(std::string("updateServiceImage svc1 " + kNewImage),
                             _backend.callsTo("updateServiceImage").at(0));
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), _backend.callsTo("inspectService").size());
        CPPUNIT_ASSERT(_backend.callsTo("rollbackService").empty());
        CPPUNIT_ASSERT_EQUAL(kNewImage, _backend.serviceImage("web"));
    }

    void testStatusOfThePreviousUpdateIsNotTakenForTheOutcome()
    {
        // Right after the update the engine may still show the last update's end, a pause here.
        _service.update = {"paused", kBefore, kPausedMessage};
        add();
        _backend.scriptUpdate("web", {{"paused", kBefore, kPausedMessage}, {"completed", kUpdate, ""}});
        const auto report = update();
        CPPUNIT_ASSERT_EQUAL(std::string("updated"), toString(report.result));
        CPPUNIT_ASSERT(_backend.callsTo("rollbackService").empty());
    }

    void testPausedUpdateIsRolledBackByWiretap()
    {
        add();
        _backend.scriptUpdate("web", {{"updating", kUpdate, ""}, {"paused", kUpdate, kPausedMessage}});
        _backend.scriptRollback("web", {{"paused", kUpdate, kPausedMessage},
                                        {"rollback_started", kRollback, "manually requested rollback"},
                                        {"rollback_completed", kRollback, "rollback completed"}});
        const auto report = update();
        CPPUNIT_ASSERT_EQUAL(std::string("rolled_back"), toString(report.result));
        CPPUNIT_ASSERT_EQUAL(std::string("wiretap"), report.rolledBackBy);
        CPPUNIT_ASSERT_EQUAL("Swarm paused the update: " + kPausedMessage, report.reason);
        CPPUNIT_ASSERT_EQUAL(std::string("rollbackService svc1"), _backend.callsTo("rollbackService").at(0));
        CPPUNIT_ASSERT_EQUAL(kOldImage, _backend.serviceImage("web"));
    }

    void testFailureActionRollbackIsRolledBackBySwarmWithoutASecondRollback()
    {
        _service.failureAction = "rollback";
        add();
        _backend.scriptUpdate("web",
                              {{"updating", kUpdate, ""},
                               {"rollback_started", kUpdate, "update rolled back due to failure of task x1"},
                               {"rollback_completed", kUpdate, "rollback completed"}});
        const auto report = update();
        CPPUNIT_ASSERT_EQUAL(std::string("rolled_back"), toString(report.result));
        CPPUNIT_ASSERT_EQUAL(std::string("swarm"), report.rolledBackBy);
        CPPUNIT_ASSERT(report.reason.find("update rolled back due to failure of task x1") !=
                       std::string::npos);
        CPPUNIT_ASSERT(_backend.callsTo("rollbackService").empty());
    }

    void testSwarmsPausedRollbackIsFailed()
    {
        add();
        _backend.scriptUpdate("web",
                              {{"rollback_started", kUpdate, ""}, {"rollback_paused", kUpdate, "stuck"}});
        const auto report = update();
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), toString(report.result));
        CPPUNIT_ASSERT_EQUAL(std::string("the update failed and Swarm's rollback paused: stuck"),
                             report.reason);
        CPPUNIT_ASSERT(_backend.callsTo("rollbackService").empty());
    }

    void testUpdateThatDoesNotConvergeInTimeIsRolledBack()
    {
        _settings.serviceTimeout = Poco::Timespan(0, 1000);
        _settings.servicePollInterval = Poco::Timespan(0, 2000);
        add();
        _backend.scriptUpdate("web", {{"updating", kUpdate, ""}});
        const auto report = update();
        CPPUNIT_ASSERT_EQUAL(std::string("rolled_back"), toString(report.result));
        CPPUNIT_ASSERT_EQUAL(std::string("wiretap"), report.rolledBackBy);
        CPPUNIT_ASSERT_EQUAL(std::string("the update did not converge within 0s (last state: updating)"),
                             report.reason);
    }

    void testPausedRollbackIsFailed()
    {
        add();
        _backend.scriptUpdate("web", {{"paused", kUpdate, kPausedMessage}});
        _backend.scriptRollback("web", {{"rollback_paused", kRollback, "rollback paused: task x2 failed"}});
        const auto report = update();
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), toString(report.result));
        CPPUNIT_ASSERT(report.reason.find("; the rollback ended rollback_paused: rollback paused: task x2") !=
                       std::string::npos);
    }

    void testFailedRollbackCallIsFailed()
    {
        add();
        _backend.scriptUpdate("web", {{"paused", kUpdate, kPausedMessage}});
        _backend.failOn("rollbackService", "service has no previous spec");
        const auto report = update();
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), toString(report.result));
        CPPUNIT_ASSERT(report.reason.find("; rollback failed: ") != std::string::npos);
        CPPUNIT_ASSERT(report.reason.find("service has no previous spec") != std::string::npos);
    }

    void testRefusedUpdateIsFailedAndNothingElseIsAsked()
    {
        add();
        _backend.failOn("updateServiceImage", "rpc error: update out of sequence");
        const auto report = update();
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), toString(report.result));
        CPPUNIT_ASSERT(report.reason.find("update out of sequence") != std::string::npos);
        CPPUNIT_ASSERT(_backend.callsTo("inspectService").empty());
        CPPUNIT_ASSERT(_backend.callsTo("rollbackService").empty());
    }

    void testFailureActionContinueIsNoted()
    {
        _service.failureAction = "continue";
        add();
        const auto report = update();
        CPPUNIT_ASSERT_EQUAL(std::string("updated"), toString(report.result));
        CPPUNIT_ASSERT(report.reason.find("failure action continue") != std::string::npos);
    }

    void testServiceWithoutReplicasIsUpdatedAtOnce()
    {
        _service.replicas = 0;
        add();
        _backend.scriptUpdate("web", {{}}); // Swarm has no task to update and never reports
        const auto report = update();
        CPPUNIT_ASSERT_EQUAL(std::string("updated"), toString(report.result));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _backend.callsTo("inspectService").size());
    }

private:
    void add() { _backend.addService(_service); }

    ServiceReport update()
    {
        ServiceUpdater updater(_backend, _settings, Poco::Logger::get("wiretap.deploy"));
        return updater.update(_service, kNewImage);
    }

    MockContainerBackend _backend;
    DeploySettings _settings;
    ServiceSummary _service;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ServiceUpdaterTest);
