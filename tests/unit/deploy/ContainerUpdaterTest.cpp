#include "deploy/ContainerUpdater.h"
#include "../backend/MockContainerBackend.h"

#include <Poco/Logger.h>

#include <cppunit/extensions/HelperMacros.h>

#include <stdexcept>

using wiretap::backend::MockContainerBackend;
using wiretap::deploy::ContainerReport;
using wiretap::deploy::ContainerUpdater;
using wiretap::deploy::DeploySettings;
using wiretap::deploy::UpdateTarget;

namespace
{
const std::string kOld = "sha256:" + std::string(64, 'a');
const std::string kImage = "demo/hello-world-app:latest";
} // namespace

/// The updater's hooks, where the journal listens: called before each step in
/// order, with the new id from "created" on, and once at the end; a hook that
/// throws stops the update before its step and leaves the old container as it was.
class ContainerUpdaterTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ContainerUpdaterTest);
    CPPUNIT_TEST(testHooksHearEveryStepBeforeItRunsAndTheEnd);
    CPPUNIT_TEST(testRollsBackWhenRunFailsBeforeCreating);
    CPPUNIT_TEST(testRollsBackAContainerThatRunCreatedButCouldNotStart);
    CPPUNIT_TEST(testContainerOfSomeoneElseUnderTheNameIsLeftAlone);
    CPPUNIT_TEST(testStoppedContainerStartsAtTheRename);
    CPPUNIT_TEST(testHookFailureBeforeTheStopTouchesNothing);
    CPPUNIT_TEST(testHookFailureBeforeAnyLaterStepRollsBack);
    CPPUNIT_TEST(testFinishHookFailureDoesNotChangeTheResult);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _backend = MockContainerBackend();
        _settings = DeploySettings();
        _settings.minUptime = Poco::Timespan(0);
    }

    void testHooksHearEveryStepBeforeItRunsAndTheEnd()
    {
        // One network: stop 1, rename 2, run 3, inspect 4, remove 5.
        CPPUNIT_ASSERT_EQUAL(std::string("stop@0,rename@1,run@2,created+id@3,remove+id@4"),
                             hooksHeard(false));
        // Two: stop 1, rename 2, create 3, connect 4, start 5, inspect 6, remove 7.
        CPPUNIT_ASSERT_EQUAL(std::string("stop@0,rename@1,create@2,created+id@3,start+id@4,remove+id@6"),
                             hooksHeard(true));
    }

    void testRollsBackWhenRunFailsBeforeCreating()
    {
        const auto target = addTarget();
        _backend.failOn("runContainer", "No such image", 1);
        const auto report = update(target, {});
        CPPUNIT_ASSERT_EQUAL(std::string("rolled_back"), toString(report.result));
        CPPUNIT_ASSERT(report.reason.find("run failed: ") == 0);
        CPPUNIT_ASSERT(report.newId.empty());
        // Looked for a new container under the name, found none, put the old one back.
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _backend.callsTo("inspectContainers app1").size());
        CPPUNIT_ASSERT(_backend.callsTo("removeContainer").empty());
        assertOldIsBack(target);
    }

    void testRollsBackAContainerThatRunCreatedButCouldNotStart()
    {
        const auto target = addTarget();
        _backend.failOn("runContainer.start", "exec format error", 1);
        const auto report = update(target, {});
        CPPUNIT_ASSERT_EQUAL(std::string("rolled_back"), toString(report.result));
        CPPUNIT_ASSERT(report.reason.find("exec format error") != std::string::npos);
        const std::string created = _backend.created().at(0).id;
        CPPUNIT_ASSERT_EQUAL(created, report.newId); // found by the original name
        CPPUNIT_ASSERT_EQUAL("removeContainer " + created + " force novolumes",
                             _backend.callsTo("removeContainer").at(0));
        assertOldIsBack(target);
    }

    void testContainerOfSomeoneElseUnderTheNameIsLeftAlone()
    {
        // The run failed and, meanwhile, someone else's container took the name: not removed,
        // the old one stays aside, the update fails (and stays open for recovery).
        const auto target = addTarget();
        const auto report = update(target,
                                   [&](const std::string& step, const ContainerReport&)
                                   {
                                       if (step == "run")
                                       {
                                           _backend.addContainer("app1", "someone/else:1", kOld);
                                           _backend.failOn("runContainer", "Conflict", 1);
                                       }
                                   });
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), toString(report.result));
        CPPUNIT_ASSERT(report.reason.find("not the one wiretap created") != std::string::npos);
        CPPUNIT_ASSERT(_backend.callsTo("removeContainer").empty());
        CPPUNIT_ASSERT_EQUAL(std::string("running"), _backend.stateOf("app1"));
        CPPUNIT_ASSERT_EQUAL(std::string("exited"), _backend.stateOf(target.summary.id));
    }

    void testStoppedContainerStartsAtTheRename()
    {
        const auto target = addTarget("exited");
        std::vector<std::string> heard;
        update(target, [&](const std::string& step, const ContainerReport&) { heard.push_back(step); });
        CPPUNIT_ASSERT_EQUAL(std::string("rename,create,created,remove"), joined(heard));
    }

    void testHookFailureBeforeTheStopTouchesNothing()
    {
        const auto target = addTarget();
        std::string finished;
        const auto report = update(
            target, [](const std::string&, const ContainerReport&) { throw std::runtime_error("disk full"); },
            [&](const ContainerReport& end) { finished = toString(end.result); });
        CPPUNIT_ASSERT_EQUAL(std::string("rolled_back"), toString(report.result));
        CPPUNIT_ASSERT_EQUAL(std::string("journal before stop failed: disk full"), report.reason);
        CPPUNIT_ASSERT(_backend.calls().empty());
        CPPUNIT_ASSERT_EQUAL(std::string("rolled_back"), finished);
    }

    void testHookFailureBeforeAnyLaterStepRollsBack()
    {
        for (const std::string failing : {"rename", "run", "created", "create", "start", "remove"})
        {
            setUp();
            // create and start for a container on two networks, run for one on one network
            const auto target = addTarget("running", failing == "create" || failing == "start");
            const auto report = update(target,
                                       [&](const std::string& step, const ContainerReport&)
                                       {
                                           if (step == failing)
                                               throw std::runtime_error("disk full");
                                       });
            CPPUNIT_ASSERT_EQUAL_MESSAGE(failing, std::string("rolled_back"), toString(report.result));
            CPPUNIT_ASSERT_MESSAGE(failing, report.reason.find("journal before " + failing) == 0);
            // the step announced did not run
            CPPUNIT_ASSERT_MESSAGE(failing, !called(stepCall(failing, target.summary.id)));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(failing, std::string("app1"), joined(_backend.containerNames()));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(failing, target.summary.id, _backend.listContainers().at(0).id);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(failing, std::string("running"), _backend.stateOf("app1"));
        }
    }

    void testFinishHookFailureDoesNotChangeTheResult()
    {
        const auto target = addTarget();
        const auto report =
            update(target, {}, [](const ContainerReport&) { throw std::runtime_error("disk full"); });
        CPPUNIT_ASSERT_EQUAL(std::string("updated"), toString(report.result));
    }

private:
    /// app1 on one network, or on two (`docker network connect` before the start).
    UpdateTarget addTarget(const std::string& state = "running", bool twoNetworks = false)
    {
        const auto inspect = _backend.addContainer("app1", kImage, kOld, state);
        UpdateTarget target;
        target.summary = _backend.listContainers().at(0);
        target.inspect = inspect;
        target.image = kImage;
        target.spec.networks.resize(twoNetworks ? 2 : 1);
        target.spec.networks[0].network = "bridge";
        if (twoNetworks)
            target.spec.networks[1].network = "backnet";
        _backend.clearCalls();
        return target;
    }

    /// The steps the hooks heard, each with the number of backend calls made before it.
    std::string hooksHeard(bool twoNetworks)
    {
        setUp();
        const auto target = addTarget("running", twoNetworks);
        std::vector<std::string> heard;
        std::string finished;
        const auto report = update(
            target,
            [&](const std::string& step, const ContainerReport& progress)
            {
                // what the backend was asked before the hook ran: the step itself was not
                heard.push_back(step + (progress.newId.empty() ? "" : "+id") + "@" +
                                std::to_string(_backend.calls().size()));
            },
            [&](const ContainerReport& end) { finished = toString(end.result); });
        CPPUNIT_ASSERT_EQUAL(std::string("updated"), toString(report.result));
        CPPUNIT_ASSERT_EQUAL(std::string("updated"), finished);
        return joined(heard);
    }

    void assertOldIsBack(const UpdateTarget& target)
    {
        CPPUNIT_ASSERT_EQUAL(std::string("app1"), joined(_backend.containerNames()));
        CPPUNIT_ASSERT_EQUAL(target.summary.id, _backend.listContainers().at(0).id);
        CPPUNIT_ASSERT_EQUAL(std::string("running"), _backend.stateOf("app1"));
    }

    ContainerReport update(const UpdateTarget& target, const ContainerUpdater::StepHook& hook,
                           const ContainerUpdater::FinishHook& finished = {})
    {
        ContainerUpdater updater(_backend, _settings, Poco::Logger::get("wiretap.deploy"));
        return updater.update(target, hook, finished);
    }

    /// The call the step would make (start/created: starting the new container).
    std::string stepCall(const std::string& step, const std::string& oldId) const
    {
        if (step == "rename")
            return "renameContainer " + oldId;
        if (step == "create")
            return "createContainer";
        if (step == "run")
            return "runContainer";
        if (step == "remove")
            return "removeContainer " + oldId;
        return "startContainer " + _backend.created().at(0).id;
    }

    bool called(const std::string& prefix) const
    {
        for (const auto& call : _backend.calls())
            if (call.rfind(prefix, 0) == 0)
                return true;
        return false;
    }

    static std::string joined(const std::vector<std::string>& words)
    {
        std::string out;
        for (const auto& word : words)
            out += (out.empty() ? "" : ",") + word;
        return out;
    }

    MockContainerBackend _backend;
    DeploySettings _settings;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ContainerUpdaterTest);
