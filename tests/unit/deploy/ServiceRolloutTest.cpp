#include "deploy/ServiceRollout.h"
#include "../backend/MockContainerBackend.h"
#include "../backend/TempDir.h"
#include "deploy/DeployJournal.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>

using wiretap::backend::MockContainerBackend;
using wiretap::backend::ServiceSummary;
using wiretap::backend::TempDir;
using wiretap::deploy::DeployJournal;
using wiretap::deploy::DeployReport;
using wiretap::deploy::DeploySettings;
using wiretap::deploy::ServiceRollout;

namespace
{
const std::string kImage = "demo/app:latest";
const std::string kOldDigest = "sha256:" + std::string(64, '1');
const std::string kNewDigest = "sha256:" + std::string(64, '2');

/// The mock, holding each `service update` until `together` of them are under way (or
/// 300 ms passed): how many were under way at once is what a rollout's strategy decides.
class OverlapBackend : public MockContainerBackend
{
public:
    std::size_t together = 1;
    std::size_t mostAtOnce = 0;
    /// Called before the update is made, as `docker service update` starts.
    std::function<void(const std::string& service)> onUpdate;

    void updateServiceImage(const std::string& service, const std::string& image) override
    {
        if (onUpdate)
            onUpdate(service);
        MockContainerBackend::updateServiceImage(service, image);
        std::unique_lock<std::mutex> lock(_mutex);
        ++_underWay;
        mostAtOnce = std::max(mostAtOnce, _underWay);
        _changed.notify_all();
        _changed.wait_for(lock, std::chrono::milliseconds(300), [&] { return _underWay >= together; });
        --_underWay;
    }

private:
    std::mutex _mutex;
    std::condition_variable _changed;
    std::size_t _underWay = 0;
};
} // namespace

/// The services of one deploy: rolled out one at a time or `parallelism` at a time, stopped
/// or not after a failure as deploy.onFailure says, and each journaled before Swarm is asked.
class ServiceRolloutTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ServiceRolloutTest);
    CPPUNIT_TEST(testRollingUpdatesOneServiceAtATime);
    CPPUNIT_TEST(testParallelUpdatesUpToParallelismAtOnce);
    CPPUNIT_TEST(testParallelOnFailureStopSkipsTheServicesNotStarted);
    CPPUNIT_TEST(testParallelOnFailureContinueUpdatesEveryService);
    CPPUNIT_TEST(testUpdateIsJournaledBeforeSwarmIsAskedAndClosedAfter);
    CPPUNIT_TEST(testRollbackIsJournaledBeforeItIsAsked);
    CPPUNIT_TEST(testUpdateWhoseOutcomeIsUnknownStaysOpen);
    CPPUNIT_TEST(testRefusedUpdateIsClosed);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _dir = std::make_unique<TempDir>();
        _journal = std::make_unique<DeployJournal>(_dir->path());
        _backend = std::make_unique<OverlapBackend>();
        _backend->swarmManager = true;
        _settings = DeploySettings();
        _settings.servicePollInterval = Poco::Timespan(0);
        _services.clear();
    }

    void tearDown() override
    {
        _backend.reset();
        _journal.reset();
        _dir.reset();
    }

    void testRollingUpdatesOneServiceAtATime()
    {
        addServices({"a", "b", "c"});
        _backend->together = 3;
        const auto report = rollOut();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _backend->mostAtOnce);
        CPPUNIT_ASSERT_EQUAL(std::string("updated,updated,updated"), results(report));
    }

    void testParallelUpdatesUpToParallelismAtOnce()
    {
        parallel(2);
        addServices({"a", "b", "c"});
        _backend->together = 3;
        const auto report = rollOut();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _backend->mostAtOnce);
        CPPUNIT_ASSERT_EQUAL(std::string("updated,updated,updated"), results(report));
        for (const auto& name : {"a", "b", "c"})
            CPPUNIT_ASSERT_EQUAL(kImage + "@" + kNewDigest, _backend->serviceImage(name));
    }

    void testParallelOnFailureStopSkipsTheServicesNotStarted()
    {
        parallel(2);
        addServices({"a", "b", "c"});
        _backend->scriptUpdate("a", {{"paused", "t1", "update paused due to failure"}});
        const auto report = rollOut();
        // b ran beside a and is updated; c was not started.
        CPPUNIT_ASSERT_EQUAL(std::string("rolled_back,updated,skipped"), results(report));
        CPPUNIT_ASSERT(report.services[2].reason.find("deploy.onFailure=stop") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _backend->callsTo("updateServiceImage").size());
        CPPUNIT_ASSERT_EQUAL(kImage + "@" + kOldDigest, _backend->serviceImage("c"));
    }

    void testParallelOnFailureContinueUpdatesEveryService()
    {
        parallel(2);
        _settings.stopOnFailure = false;
        addServices({"a", "b", "c"});
        _backend->scriptUpdate("a", {{"paused", "t1", "update paused due to failure"}});
        const auto report = rollOut();
        CPPUNIT_ASSERT_EQUAL(std::string("rolled_back,updated,updated"), results(report));
        CPPUNIT_ASSERT_EQUAL(kImage + "@" + kNewDigest, _backend->serviceImage("c"));
    }

    void testUpdateIsJournaledBeforeSwarmIsAskedAndClosedAfter()
    {
        addServices({"a"});
        std::vector<wiretap::deploy::JournaledServiceUpdate> open;
        _backend->onUpdate = [&](const std::string&) { open = _journal->unfinishedServices("host1"); };
        rollOut();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), open.size());
        CPPUNIT_ASSERT_EQUAL(std::string("d1"), open[0].deployId);
        CPPUNIT_ASSERT_EQUAL(std::string("a-id"), open[0].serviceId);
        CPPUNIT_ASSERT_EQUAL(std::string("a"), open[0].serviceName);
        CPPUNIT_ASSERT_EQUAL(kImage + "@" + kOldDigest, open[0].oldImage);
        CPPUNIT_ASSERT_EQUAL(7LL, open[0].oldVersion);
        CPPUNIT_ASSERT_EQUAL(std::string("t0"), open[0].oldStatusStart);
        CPPUNIT_ASSERT_EQUAL(kImage + "@" + kNewDigest, open[0].image);
        CPPUNIT_ASSERT_EQUAL(std::string("update"), open[0].step);
        CPPUNIT_ASSERT(_journal->unfinishedServices().empty());
        CPPUNIT_ASSERT_EQUAL(std::string("updated"), _journal->serviceUpdatesOf("d1").at(0).result);
    }

    void testRollbackIsJournaledBeforeItIsAsked()
    {
        addServices({"a"});
        _backend->scriptUpdate("a", {{"paused", "t1", "update paused due to failure"}});
        _backend->failOn("rollbackService", "injected", 1);
        const auto report = rollOut();
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), results(report));
        // The rollback failed: left open, with the step it was at, for recovery to retry.
        const auto open = _journal->unfinishedServices();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), open.size());
        CPPUNIT_ASSERT_EQUAL(std::string("rollback"), open[0].step);
    }

    void testUpdateWhoseOutcomeIsUnknownStaysOpen()
    {
        addServices({"a"});
        _backend->failOn("inspectService", "Cannot connect to the Docker daemon");
        const auto report = rollOut();
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), results(report));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _journal->unfinishedServices().size());
    }

    void testRefusedUpdateIsClosed()
    {
        addServices({"a"});
        _backend->failOn("updateServiceImage", "rpc error: update out of sequence");
        const auto report = rollOut();
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), results(report));
        CPPUNIT_ASSERT(_journal->unfinishedServices().empty());
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), _journal->serviceUpdatesOf("d1").at(0).result);
    }

private:
    void parallel(std::size_t parallelism)
    {
        _settings.strategy = DeploySettings::Strategy::Parallel;
        _settings.parallelism = parallelism;
    }

    void addServices(const std::vector<std::string>& names)
    {
        for (const auto& name : names)
        {
            ServiceSummary service;
            service.id = name + "-id";
            service.name = name;
            service.image = kImage + "@" + kOldDigest;
            service.version = 7;
            service.replicas = 1;
            service.update = {"completed", "t0", "update completed"};
            _backend->addService(service);
            _services.push_back(service);
        }
    }

    DeployReport rollOut()
    {
        DeployReport report;
        auto& logger = Poco::Logger::get("wiretap.deploy");
        ServiceRollout(*_backend, _settings, logger, _journal.get(), "host1", "d1")
            .update(_services, kNewDigest, report);
        return report;
    }

    static std::string results(const DeployReport& report)
    {
        std::string out;
        for (const auto& service : report.services)
            out += (out.empty() ? "" : ",") + toString(service.result);
        return out;
    }

    std::unique_ptr<TempDir> _dir;
    std::unique_ptr<DeployJournal> _journal;
    std::unique_ptr<OverlapBackend> _backend;
    DeploySettings _settings;
    std::vector<ServiceSummary> _services;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ServiceRolloutTest);
