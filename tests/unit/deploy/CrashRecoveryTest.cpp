#include "deploy/CrashRecovery.h"
#include "../backend/TempDir.h"
#include "CrashingBackend.h"
#include "DeployFixtures.h"
#include "deploy/ContainerUpdater.h"
#include "deploy/DeployJournal.h"
#include "deploy/Deployer.h"

#include <cppunit/extensions/HelperMacros.h>

#include <memory>

using wiretap::backend::ContainerSummary;
using wiretap::backend::TempDir;
using wiretap::deploy::ContainerUpdater;
using wiretap::deploy::Crash;
using wiretap::deploy::CrashingBackend;
using wiretap::deploy::CrashRecovery;
using wiretap::deploy::Deployer;
using wiretap::deploy::DeployJournal;
using wiretap::deploy::DeployRequest;
using wiretap::deploy::DeploySettings;
using wiretap::deploy::JournaledUpdate;
using wiretap::deploy::RecoveryAction;

namespace
{
using wiretap::deploy::fixtures::kImage;
using wiretap::deploy::fixtures::kNew;
using wiretap::deploy::fixtures::kOld;
using wiretap::deploy::fixtures::request;
} // namespace

/// Start-up recovery after wiretap died at any point of an update: exactly one
/// container under the original name, running if it ran, on the old or the new
/// image, nothing left aside, and no open entry in the journal.
class CrashRecoveryTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(CrashRecoveryTest);
    CPPUNIT_TEST(testCrashBeforeAnyStepAfterTheStopIsRolledBack);
    CPPUNIT_TEST(testCrashAfterEveryStepEndsSafely);
    CPPUNIT_TEST(testCrashDuringARollbackEndsSafely);
    CPPUNIT_TEST(testCrashWhileAStoppedContainerWasUpdatedLeavesItStopped);
    CPPUNIT_TEST(testNewContainerWhoseIdWasNotJournaledIsRemoved);
    CPPUNIT_TEST(testContainerThatRunCreatedButDidNotStartIsRemoved);
    CPPUNIT_TEST(testCrashInsideRunBetweenCreateAndStartIsRolledBack);
    CPPUNIT_TEST(testUnknownContainerUnderTheNameIsLeftAloneWithTheOldOne);
    CPPUNIT_TEST(testNewContainerThatStoppedAfterTheUpdateIsStarted);
    CPPUNIT_TEST(testContainerRemovedByHandClosesTheEntry);
    CPPUNIT_TEST(testDockerFailureLeavesTheEntryOpenForTheNextStart);
    CPPUNIT_TEST(testNothingToDoWithoutOpenEntries);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _dir = std::make_unique<TempDir>();
        _backend = std::make_unique<CrashingBackend>();
        _settings = DeploySettings();
        _settings.minUptime = Poco::Timespan(0);
        Poco::JSON::Object::Ptr image = new Poco::JSON::Object;
        image->set("Id", kOld);
        _backend->addImage(image, {});
        _backend->setPullResult(kImage + ":latest", kNew);
    }

    void tearDown() override
    {
        _backend.reset();
        _dir.reset();
    }

    void testCrashBeforeAnyStepAfterTheStopIsRolledBack()
    {
        // One network: stop, rename, run, (inside run: created, not started), wait (readiness
        // inspect), remove. Two: stop, rename, create, (connect), start, wait, remove.
        for (const bool twoNetworks : {false, true})
            for (int n = 0; n < 6; ++n)
            {
                setUp();
                const std::string old = addApp("running", twoNetworks);
                _backend->crashBefore = n;
                const std::string context = path(twoNetworks) + "before call " + std::to_string(n);
                crashDeploy(context);
                const auto actions = recover();
                assertSafe(old, context);
                CPPUNIT_ASSERT_EQUAL(std::string(CrashRecovery::kRolledBack), actions.at(0).outcome);
            }
    }

    void testCrashAfterEveryStepEndsSafely()
    {
        for (const bool twoNetworks : {false, true})
            for (int n = 0; n < 6; ++n)
            {
                setUp();
                const std::string old = addApp("running", twoNetworks);
                _backend->crashAfter = n;
                const std::string context = path(twoNetworks) + "after call " + std::to_string(n);
                crashDeploy(context);
                const std::string newId = _backend->created().empty() ? "" : _backend->created().back().id;
                const auto actions = recover();
                const bool removed = n == 5;
                assertSafe(removed ? newId : old, context);
                CPPUNIT_ASSERT_EQUAL_MESSAGE(
                    context, std::string(removed ? CrashRecovery::kCompleted : CrashRecovery::kRolledBack),
                    actions.at(0).outcome);
            }
    }

    void testContainerThatRunCreatedButDidNotStartIsRemoved()
    {
        // Died inside `docker run`, between its create and its start: the journal says "run", no id.
        const std::string old = addApp();
        begin(old, "run");
        _backend->stopContainer(old, "SIGTERM", 10);
        _backend->renameContainer(old, aside(old));
        _backend->failOn("runContainer.start", "exec format error", 1);
        CPPUNIT_ASSERT_THROW(_backend->runContainer({}, kImage, "app1"), std::exception);
        CPPUNIT_ASSERT_EQUAL(std::string("created"), _backend->stateOf("app1"));
        const auto actions = recover();
        assertSafe(old, "run in flight");
        CPPUNIT_ASSERT_EQUAL(std::string(CrashRecovery::kRolledBack), actions.at(0).outcome);
    }

    void testCrashInsideRunBetweenCreateAndStartIsRolledBack()
    {
        // stop 0, rename 1, run 2, created inside run 3: dies with the new container created.
        const std::string old = addApp();
        _backend->crashAfter = 3;
        crashDeploy("inside run");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _backend->created().size());
        CPPUNIT_ASSERT_EQUAL(std::string("created"), _backend->stateOf(_backend->created().back().id));
        const auto actions = recover();
        assertSafe(old, "inside run");
        CPPUNIT_ASSERT_EQUAL(std::string(CrashRecovery::kRolledBack), actions.at(0).outcome);
        CPPUNIT_ASSERT(actions.at(0).detail.find("removed new container") != std::string::npos);
    }

    void testCrashDuringARollbackEndsSafely()
    {
        // stop 0, rename 1, create 2, start 3 (fails) — or run 2, created 3 (its start fails) —,
        // rollback: (find the new one by name,) remove new 4, rename back 5, start old 6
        for (const bool twoNetworks : {false, true})
            for (int n = 4; n <= 6; ++n)
                for (const bool before : {true, false})
                {
                    setUp();
                    const std::string old = addApp("running", twoNetworks);
                    _backend->failOn(twoNetworks ? "startContainer" : "runContainer.start", "injected", 1);
                    (before ? _backend->crashBefore : _backend->crashAfter) = n;
                    const std::string context =
                        path(twoNetworks) + (before ? "before " : "after ") + std::to_string(n);
                    crashDeploy(context);
                    recover();
                    assertSafe(old, context);
                }
    }

    void testCrashWhileAStoppedContainerWasUpdatedLeavesItStopped()
    {
        _settings.includeStopped = true;
        const std::string old = addApp("exited");
        _backend->crashAfter = 1; // rename 0, create 1
        crashDeploy("stopped");
        recover();
        CPPUNIT_ASSERT_EQUAL(std::string("app1"), names());
        CPPUNIT_ASSERT_EQUAL(old, idOf("app1"));
        CPPUNIT_ASSERT_EQUAL(std::string("exited"), _backend->stateOf("app1"));
        CPPUNIT_ASSERT(_backend->callsTo("startContainer").empty());
    }

    void testNewContainerWhoseIdWasNotJournaledIsRemoved()
    {
        // Died inside `docker create`: it made the container, wiretap never learnt its id.
        const std::string old = addApp();
        const auto key = begin(old, "create");
        _backend->stopContainer(old, "SIGTERM", 10);
        _backend->renameContainer(old, aside(old));
        _backend->createContainer({}, kImage, "app1");
        (void)key;
        const auto actions = recover();
        assertSafe(old, "create in flight");
        CPPUNIT_ASSERT_EQUAL(std::string(CrashRecovery::kRolledBack), actions.at(0).outcome);
    }

    void testUnknownContainerUnderTheNameIsLeftAloneWithTheOldOne()
    {
        const std::string old = addApp();
        begin(old, "create");
        _backend->stopContainer(old, "SIGTERM", 10);
        _backend->renameContainer(old, aside(old));
        _backend->addContainer("app1", "someone/else:1", kNew); // an operator's, not wiretap's
        const std::string stranger = idOf("app1");
        _backend->clearCalls();
        const auto actions = recover();
        const auto calls = _backend->calls();
        CPPUNIT_ASSERT(!actions.at(0).resolved);
        CPPUNIT_ASSERT_EQUAL(std::string("unresolved"), actions.at(0).outcome);
        CPPUNIT_ASSERT_EQUAL(stranger, idOf("app1"));
        CPPUNIT_ASSERT_EQUAL(old, idOf(aside(old)));
        CPPUNIT_ASSERT(calls == std::vector<std::string>{"listContainers"}); // touched nothing
        DeployJournal journal(_dir->path());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), journal.unfinished().size()); // retried at the next start
    }

    void testNewContainerThatStoppedAfterTheUpdateIsStarted()
    {
        // The old one was removed, then the host rebooted before the end was journaled.
        const std::string old = addApp();
        const auto key = begin(old, "remove");
        _backend->stopContainer(old, "SIGTERM", 10);
        _backend->renameContainer(old, aside(old));
        const std::string created = _backend->createContainer({}, kImage, "app1");
        _backend->removeContainer(old, true, false);
        {
            DeployJournal journal(_dir->path());
            journal.step(key, "remove", created);
        }
        const auto actions = recover();
        assertSafe(created, "rebooted");
        CPPUNIT_ASSERT_EQUAL(std::string(CrashRecovery::kCompleted), actions.at(0).outcome);
    }

    void testContainerRemovedByHandClosesTheEntry()
    {
        const std::string old = addApp();
        begin(old, "stop");
        _backend->removeContainer(old, true, false);
        const auto actions = recover();
        CPPUNIT_ASSERT_EQUAL(std::string(CrashRecovery::kGone), actions.at(0).outcome);
        CPPUNIT_ASSERT(names().empty());
        DeployJournal journal(_dir->path());
        CPPUNIT_ASSERT(journal.unfinished().empty());
    }

    void testDockerFailureLeavesTheEntryOpenForTheNextStart()
    {
        const std::string old = addApp();
        begin(old, "rename");
        _backend->stopContainer(old, "SIGTERM", 10);
        _backend->renameContainer(old, aside(old));
        _backend->failOn("renameContainer", "engine restarting", 1);
        auto actions = recover();
        CPPUNIT_ASSERT(!actions.at(0).resolved);
        CPPUNIT_ASSERT(actions.at(0).detail.find("engine restarting") != std::string::npos);
        actions = recover(); // the next start
        CPPUNIT_ASSERT(actions.at(0).resolved);
        assertSafe(old, "second start");
    }

    void testNothingToDoWithoutOpenEntries()
    {
        addApp();
        CPPUNIT_ASSERT(recover().empty());
        CPPUNIT_ASSERT(_backend->calls().empty());
    }

private:
    /// app1, on the default bridge only (updated with `docker run`), or also on a second network
    /// (create, connect, start).
    std::string addApp(const std::string& state = "running", bool twoNetworks = false)
    {
        auto inspect = _backend->addContainer("app1", kImage, kOld, state);
        Poco::JSON::Object::Ptr host = new Poco::JSON::Object;
        host->set("NetworkMode", "bridge");
        inspect->set("HostConfig", host);
        if (twoNetworks)
        {
            Poco::JSON::Object::Ptr networks = new Poco::JSON::Object;
            networks->set("bridge", Poco::JSON::Object::Ptr(new Poco::JSON::Object));
            networks->set("backnet", Poco::JSON::Object::Ptr(new Poco::JSON::Object));
            Poco::JSON::Object::Ptr settings = new Poco::JSON::Object;
            settings->set("Networks", networks);
            inspect->set("NetworkSettings", settings);
        }
        return inspect->getValue<std::string>("Id");
    }

    static std::string path(bool twoNetworks) { return twoNetworks ? "create+start: " : "run: "; }

    std::string aside(const std::string& oldId) const
    {
        return ContainerUpdater::asideName(
            ContainerSummary{oldId, "app1", kImage, kOld, "running", {}, nullptr});
    }

    /// Journals an update of app1 as the deployer would have, up to `step`.
    std::int64_t begin(const std::string& oldId, const std::string& step)
    {
        DeployJournal journal(_dir->path());
        JournaledUpdate update;
        update.deployId = "d1";
        update.container = "app1";
        update.oldId = oldId;
        update.asideName = aside(oldId);
        update.wasRunning = true;
        update.image = kImage;
        update.step = step;
        return journal.begin(update);
    }

    /// Runs a journaled deploy that dies where the backend was told to.
    void crashDeploy(const std::string& context)
    {
        bool crashed = false;
        try
        {
            DeployJournal journal(_dir->path());
            Deployer deployer(*_backend, _settings, &journal);
            deployer.run(request());
        }
        catch (const Crash&)
        {
            crashed = true;
        }
        CPPUNIT_ASSERT_MESSAGE(context + ": did not crash", crashed);
        _backend->disarm();
        _backend->clearCalls();
    }

    /// A new start: the journal reopened from disk, then recovery.
    std::vector<RecoveryAction> recover()
    {
        DeployJournal journal(_dir->path());
        return CrashRecovery(*_backend, journal).run();
    }

    void assertSafe(const std::string& expectedId, const std::string& context)
    {
        CPPUNIT_ASSERT_EQUAL_MESSAGE(context, std::string("app1"), names());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(context, expectedId, idOf("app1"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(context, std::string("running"), _backend->stateOf("app1"));
        DeployJournal journal(_dir->path());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(context, std::size_t(0), journal.unfinished().size());
    }

    std::string names() const
    {
        std::string out;
        for (const auto& name : _backend->containerNames())
            out += (out.empty() ? "" : ",") + name;
        return out;
    }

    std::string idOf(const std::string& name)
    {
        for (const auto& container : _backend->listContainers())
            if (container.name == name)
                return container.id;
        return "";
    }

    std::unique_ptr<TempDir> _dir;
    std::unique_ptr<CrashingBackend> _backend;
    DeploySettings _settings;
};

CPPUNIT_TEST_SUITE_REGISTRATION(CrashRecoveryTest);
