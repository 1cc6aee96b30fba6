#include "deploy/Deployer.h"
#include "../backend/MockContainerBackend.h"
#include "deploy/DeploySettings.h"

#include <Poco/JSON/Array.h>

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>

using wiretap::backend::ContainerSpec;
using wiretap::backend::MockContainerBackend;
using wiretap::deploy::ContainerReport;
using wiretap::deploy::Deployer;
using wiretap::deploy::DeployReport;
using wiretap::deploy::DeployRequest;
using wiretap::deploy::DeploySettings;

namespace
{
const std::string kOld = "sha256:" + std::string(64, 'a');
const std::string kNew = "sha256:" + std::string(64, 'b');
const std::string kOther = "sha256:" + std::string(64, 'c');
const std::string kImage = "demo/hello-world-app";

Poco::JSON::Object::Ptr image(const std::string& id, const std::vector<std::string>& repoDigests = {})
{
    Poco::JSON::Object::Ptr json = new Poco::JSON::Object;
    json->set("Id", id);
    Poco::JSON::Array::Ptr digests = new Poco::JSON::Array;
    for (const auto& digest : repoDigests)
        digests->add(digest);
    json->set("RepoDigests", digests);
    return json;
}

DeployRequest request(const std::string& repository = "demo/hello-world-app", const std::string& digest = "")
{
    wiretap::events::ImageEvent event;
    event.registry = "docker.io";
    event.repository = repository;
    event.tag = "latest";
    event.digest = digest;
    return DeployRequest{"d1", "docker.io/" + repository + ":latest", {event}, Poco::Timestamp()};
}

std::string joined(const std::vector<std::string>& words)
{
    std::string out;
    for (const auto& word : words)
        out += (out.empty() ? "" : ",") + word;
    return out;
}

} // namespace

/// The deploy flow on the mock backend: matching, one pull, the safe sequence, and rollback
/// when any step fails — the end state is always one container under the original name.
class DeployerTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(DeployerTest);
    CPPUNIT_TEST(testNoMatchDoesNothingNotEvenAPull);
    CPPUNIT_TEST(testUpdatesEveryMatchingContainerWithOnePull);
    CPPUNIT_TEST(testFollowsTheSafeSequence);
    CPPUNIT_TEST(testContainerAlreadyOnThePulledImageIsNotTouched);
    CPPUNIT_TEST(testContainerAlreadyOnTheEventsDigestSkipsThePull);
    CPPUNIT_TEST(testFailedPullTouchesNothing);
    CPPUNIT_TEST(testFollowUpOfABurstReusesThePull);
    CPPUNIT_TEST(testRollsBackWhenAnyStepAfterTheStopFails);
    CPPUNIT_TEST(testUnhealthyNewContainerIsRolledBack);
    CPPUNIT_TEST(testFailedStopRestartsTheContainer);
    CPPUNIT_TEST(testFailedRollbackIsReportedAsFailed);
    CPPUNIT_TEST(testOnFailureStopSkipsTheRestOfTheRollout);
    CPPUNIT_TEST(testOnFailureContinueUpdatesTheRest);
    CPPUNIT_TEST(testLabelsAndStoppedContainersAreRespected);
    CPPUNIT_TEST(testStoppedContainerIsRecreatedAndLeftStopped);
    CPPUNIT_TEST(testStopSignalAndTimeoutComeFromLabelAndContainer);
    CPPUNIT_TEST(testDependentContainerIsRecreatedAfterItsDependency);
    CPPUNIT_TEST(testDryRunChangesNothing);
    CPPUNIT_TEST(testCleanupRemovesTheUnusedOldImage);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _backend = Backend();
        _settings = DeploySettings();
        _settings.minUptime = Poco::Timespan(0);
        _backend.addImage(image(kOld), {});
        _backend.addImage(image(kOther), {});
        _backend.setPullResult("demo/hello-world-app:latest", kNew);
    }

    void testNoMatchDoesNothingNotEvenAPull()
    {
        add("db", "postgres:15", kOther);
        const auto report = deploy();
        CPPUNIT_ASSERT_EQUAL(std::string("no_match"), toString(report.result));
        // The manager check is no docker call most of the time: DockerCli keeps its answer a minute.
        // It is asked alongside the listing, so in either order.
        auto calls = _backend.calls();
        std::sort(calls.begin(), calls.end());
        CPPUNIT_ASSERT_EQUAL(std::string("isSwarmManager,listContainers"), joined(calls));
    }

    void testUpdatesEveryMatchingContainerWithOnePull()
    {
        add("app1", kImage, kOld);
        add("app2", kImage, kOld);
        add("db", "postgres:15", kOther);
        const auto report = deploy();
        CPPUNIT_ASSERT_EQUAL(std::string("updated"), toString(report.result));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _backend.callsTo("pullImage").size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _backend.callsTo("listContainers").size());
        // one for planning, and one per new container to check that it is up and healthy
        CPPUNIT_ASSERT_EQUAL(std::size_t(1 + 2), _backend.callsTo("inspectContainers").size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), report.containers.size());
        for (const auto& container : report.containers)
            CPPUNIT_ASSERT_EQUAL(std::string("updated"), toString(container.result));
        CPPUNIT_ASSERT_EQUAL(std::string("app1,app2,db"), joined(_backend.containerNames()));
        CPPUNIT_ASSERT_EQUAL(std::string("running"), _backend.stateOf("app1"));
        CPPUNIT_ASSERT_EQUAL(kImage, _backend.created()[0].image); // the configured reference, unchanged
    }

    void testFollowsTheSafeSequence()
    {
        const auto old = add("app1", kImage, kOld);
        const std::string oldId = old->getValue<std::string>("Id");
        deploy();
        std::vector<std::string> steps;
        for (const auto& call : _backend.calls())
            steps.push_back(call.substr(0, call.find(' ')));
        // Two pairs run alongside each other, so in either order: the listing and the manager
        // check, the pull and the inspect of the old image.
        CPPUNIT_ASSERT(steps.size() > 4);
        std::sort(steps.begin(), steps.begin() + 2);
        std::sort(steps.begin() + 3, steps.begin() + 5);
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                "isSwarmManager,listContainers,inspectContainers,inspectImages,pullImage,stopContainer,"
                "renameContainer,runContainer,inspectContainers,removeContainer"),
            joined(steps));
        CPPUNIT_ASSERT(_backend.callsTo("renameContainer")[0].find("app1-wiretap-old-") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL("removeContainer " + oldId + " force novolumes",
                             _backend.callsTo("removeContainer")[0]);
    }

    void testContainerAlreadyOnThePulledImageIsNotTouched()
    {
        _backend.addImage(image(kNew), {});
        add("app1", kImage, kNew);
        const auto report = deploy();
        CPPUNIT_ASSERT_EQUAL(std::string("up_to_date"), toString(report.result));
        CPPUNIT_ASSERT(_backend.callsTo("stopContainer").empty());
        CPPUNIT_ASSERT(_backend.callsTo("createContainer").empty());
        CPPUNIT_ASSERT(_backend.callsTo("runContainer").empty());
    }

    void testContainerAlreadyOnTheEventsDigestSkipsThePull()
    {
        const std::string digest = "sha256:" + std::string(64, 'd');
        _backend.addImage(image(kOld, {"demo/hello-world-app@" + digest}), {});
        add("app1", kImage, kOld);
        const auto report = deployRequest(request("demo/hello-world-app", digest));
        CPPUNIT_ASSERT_EQUAL(std::string("up_to_date"), toString(report.result));
        CPPUNIT_ASSERT(_backend.callsTo("pullImage").empty());
    }

    void testFollowUpOfABurstReusesThePull()
    {
        _backend.addImage(image(kNew), {});
        add("app1", kImage, kNew);
        const auto burst = request(); // its event arrives before the first deploy pulls
        Deployer deployer(_backend, _settings);
        CPPUNIT_ASSERT_EQUAL(std::string("up_to_date"), toString(deployer.run(request()).result));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _backend.callsTo("pullImage").size());

        const auto followUp = deployer.run(burst);
        CPPUNIT_ASSERT_EQUAL(std::string("up_to_date"), toString(followUp.result));
        CPPUNIT_ASSERT_EQUAL(kNew, followUp.newImageId);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _backend.callsTo("pullImage").size());

        // A later push (an event received after that pull) is pulled again.
        _backend.setPullResult("demo/hello-world-app:latest", kOther);
        const auto later = deployer.run(request());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _backend.callsTo("pullImage").size());
        CPPUNIT_ASSERT_EQUAL(kOther, later.newImageId);
    }

    void testFailedPullTouchesNothing()
    {
        add("app1", kImage, kOld);
        _backend.failOn("pullImage", "manifest unknown");
        const auto report = deploy();
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), toString(report.result));
        CPPUNIT_ASSERT(report.error.find("manifest unknown") != std::string::npos);
        CPPUNIT_ASSERT(_backend.callsTo("stopContainer").empty());
    }

    void testRollsBackWhenAnyStepAfterTheStopFails()
    {
        // app1 is on one network: created and started by one `docker run`, which can fail before
        // or after it created the container.
        for (const std::string step : {"renameContainer", "runContainer", "runContainer.start",
                                       "inspectContainers", "removeContainer"})
        {
            setUp();
            const auto old = add("app1", kImage, kOld);
            // inspectContainers: let planning pass, fail the readiness check
            _backend.failOn(step, "injected", 1, step == "inspectContainers" ? newContainerId() : "");
            const auto report = deploy();
            CPPUNIT_ASSERT_EQUAL_MESSAGE(step, std::string("rolled_back"), toString(report.result));
            CPPUNIT_ASSERT_MESSAGE(step, report.containers[0].reason.find("injected") != std::string::npos);
            assertOnlyTheOldContainerRuns(old->getValue<std::string>("Id"), step);
        }
    }

    void testUnhealthyNewContainerIsRolledBack()
    {
        const auto old = add("app1", kImage, kOld);
        _backend.unhealthy = newContainerId();
        const auto report = deploy();
        CPPUNIT_ASSERT_EQUAL(std::string("rolled_back"), toString(report.result));
        assertOnlyTheOldContainerRuns(old->getValue<std::string>("Id"), "health");
    }

    void testFailedStopRestartsTheContainer()
    {
        const auto old = add("app1", kImage, kOld);
        _backend.failOn("stopContainer", "injected", 1);
        const auto report = deploy();
        CPPUNIT_ASSERT_EQUAL(std::string("rolled_back"), toString(report.result));
        CPPUNIT_ASSERT(_backend.callsTo("renameContainer").empty());
        assertOnlyTheOldContainerRuns(old->getValue<std::string>("Id"), "stop");
    }

    void testFailedRollbackIsReportedAsFailed()
    {
        add("app1", kImage, kOld);
        _backend.unhealthy = newContainerId();
        _backend.failOn("removeContainer", "engine gone", -1);
        const auto report = deploy();
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), toString(report.result));
    }

    void testOnFailureStopSkipsTheRestOfTheRollout()
    {
        add("app1", kImage, kOld);
        add("app2", kImage, kOld);
        _backend.failOn("runContainer", "injected", 1);
        const auto report = deploy();
        CPPUNIT_ASSERT_EQUAL(std::string("rolled_back"), toString(report.result));
        CPPUNIT_ASSERT_EQUAL(std::string("skipped"), toString(report.containers[1].result));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _backend.callsTo("stopContainer").size());
    }

    void testOnFailureContinueUpdatesTheRest()
    {
        _settings.stopOnFailure = false;
        add("app1", kImage, kOld);
        add("app2", kImage, kOld);
        _backend.failOn("runContainer", "injected", 1);
        const auto report = deploy();
        CPPUNIT_ASSERT_EQUAL(std::string("rolled_back"), toString(report.containers[0].result));
        CPPUNIT_ASSERT_EQUAL(std::string("updated"), toString(report.containers[1].result));
    }

    void testLabelsAndStoppedContainersAreRespected()
    {
        auto disabled = add("off", kImage, kOld);
        _backend = Backend();
        setUpImages();
        Poco::JSON::Object::Ptr labels = new Poco::JSON::Object;
        labels->set("wiretap.enable", "false");
        disabled->getObject("Config")->set("Labels", labels);
        addBuilt(disabled, 'e');
        add("stopped", kImage, kOld, "exited");
        add("pinned", kImage + "@sha256:" + std::string(64, 'e'), kOld);
        const auto report = deploy();
        CPPUNIT_ASSERT_EQUAL(std::string("no_match"), toString(report.result));
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), report.containers.size());
        CPPUNIT_ASSERT(_backend.callsTo("pullImage").empty());
    }

    void testStoppedContainerIsRecreatedAndLeftStopped()
    {
        _settings.includeStopped = true;
        add("batch", kImage, kOld, "exited");
        const auto report = deploy();
        CPPUNIT_ASSERT_EQUAL(std::string("updated"), toString(report.result));
        CPPUNIT_ASSERT(_backend.callsTo("startContainer").empty());
        CPPUNIT_ASSERT(_backend.callsTo("stopContainer").empty());
        CPPUNIT_ASSERT_EQUAL(std::string("created"), _backend.stateOf("batch"));
    }

    void testStopSignalAndTimeoutComeFromLabelAndContainer()
    {
        auto container = add("app1", kImage, kOld);
        _backend = Backend();
        setUpImages();
        Poco::JSON::Object::Ptr labels = new Poco::JSON::Object;
        labels->set("wiretap.stop-signal", "SIGQUIT");
        container->getObject("Config")->set("Labels", labels);
        container->getObject("Config")->set("StopTimeout", 42);
        addBuilt(container, 'e');
        deploy();
        CPPUNIT_ASSERT(_backend.callsTo("stopContainer")[0].find("SIGQUIT 42") != std::string::npos);
    }

    void testDependentContainerIsRecreatedAfterItsDependency()
    {
        add("app1", kImage, kOld);
        auto sidecar = add("sidecar", "busybox:latest", kOther);
        _backend = Backend();
        setUpImages();
        add("app1", kImage, kOld);
        Poco::JSON::Object::Ptr host = new Poco::JSON::Object;
        host->set("NetworkMode", "container:app1");
        sidecar->set("HostConfig", host);
        addBuilt(sidecar, 'f');
        const auto report = deploy();
        CPPUNIT_ASSERT_EQUAL(std::string("updated"), toString(report.result));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _backend.created().size());
        CPPUNIT_ASSERT_EQUAL(std::string("app1"), _backend.created()[0].name);
        CPPUNIT_ASSERT_EQUAL(std::string("sidecar"), _backend.created()[1].name);
        CPPUNIT_ASSERT_EQUAL(std::string("busybox:latest"), _backend.created()[1].image);
    }

    void testDryRunChangesNothing()
    {
        _settings.dryRun = true;
        add("app1", kImage, kOld);
        const auto report = deploy();
        CPPUNIT_ASSERT_EQUAL(std::string("dry_run"), toString(report.result));
        CPPUNIT_ASSERT(_backend.callsTo("pullImage").empty());
        CPPUNIT_ASSERT(_backend.callsTo("stopContainer").empty());
    }

    void testCleanupRemovesTheUnusedOldImage()
    {
        _settings.cleanup = true;
        add("app1", kImage, kOld);
        deploy();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _backend.callsTo("removeImage").size());
        CPPUNIT_ASSERT(_backend.callsTo("removeImage")[0].find(kOld) != std::string::npos);
    }

private:
    void setUpImages()
    {
        _backend.addImage(image(kOld), {});
        _backend.addImage(image(kOther), {});
        _backend.setPullResult("demo/hello-world-app:latest", kNew);
    }

    DeployReport deploy() { return deployRequest(request()); }

    DeployReport deployRequest(const DeployRequest& deployRequest)
    {
        Deployer deployer(_backend, _settings);
        return deployer.run(deployRequest);
    }

    void assertOnlyTheOldContainerRuns(const std::string& oldId, const std::string& context)
    {
        CPPUNIT_ASSERT_EQUAL_MESSAGE(context, std::string("app1"), joined(_backend.containerNames()));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(context, std::string("running"), _backend.stateOf(oldId));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(context, std::string("running"), _backend.stateOf("app1"));
    }

    /// Adds a container as the engine would show it: with a HostConfig.
    Poco::JSON::Object::Ptr add(const std::string& name, const std::string& imageReference,
                                const std::string& imageId, const std::string& state = "running")
    {
        auto inspect = _backend.addContainer(name, imageReference, imageId, state);
        Poco::JSON::Object::Ptr host = new Poco::JSON::Object;
        host->set("NetworkMode", "bridge");
        inspect->set("HostConfig", host); // the mock keeps this object: later inspects show it
        return inspect;
    }

    /// Adds a container built by hand (labels, modes) to a fresh backend, under an id of its own.
    void addBuilt(Poco::JSON::Object::Ptr inspect, char idDigit)
    {
        inspect->set("Id", std::string(64, idDigit));
        _backend.addContainer(inspect);
    }

    /// The id the mock gives the next container it creates (ids count up from 1).
    std::string newContainerId() const
    {
        const std::string number = std::to_string(_backend.containerNames().size() + 1);
        return std::string(64 - number.size(), '0') + number;
    }

    /// Reports the container with this id unhealthy, as the engine would after its healthcheck failed.
    class Backend : public MockContainerBackend
    {
    public:
        std::vector<Poco::JSON::Object::Ptr>
        inspectContainers(const std::vector<std::string>& containers) override
        {
            auto result = MockContainerBackend::inspectContainers(containers);
            for (auto& container : result)
                if (container->getValue<std::string>("Id") == unhealthy)
                {
                    Poco::JSON::Object::Ptr health = new Poco::JSON::Object;
                    health->set("Status", "unhealthy");
                    container->getObject("State")->set("Health", health);
                }
            return result;
        }

        std::string unhealthy;
    };

    Backend _backend;
    DeploySettings _settings;
};

CPPUNIT_TEST_SUITE_REGISTRATION(DeployerTest);
