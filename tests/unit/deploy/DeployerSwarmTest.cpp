#include "../backend/MockContainerBackend.h"
#include "../backend/TempDir.h"
#include "deploy/DeployJournal.h"
#include "deploy/Deployer.h"

#include <Poco/JSON/Array.h>

#include <cppunit/extensions/HelperMacros.h>

#include <utility>

using wiretap::backend::MockContainerBackend;
using wiretap::backend::ServiceSummary;
using wiretap::backend::TempDir;
using wiretap::deploy::Deployer;
using wiretap::deploy::DeployJournal;
using wiretap::deploy::DeployReport;
using wiretap::deploy::DeployRequest;
using wiretap::deploy::DeploySettings;

namespace
{
const std::string kImage = "demo/hello-world-app:latest";
const std::string kOldDigest = "sha256:" + std::string(64, '1');
const std::string kNewDigest = "sha256:" + std::string(64, '2');
const std::string kOldId = "sha256:" + std::string(64, 'a');
const std::string kNewId = "sha256:" + std::string(64, 'b');

/// The calls, with the listing first when it and the manager check (asked alongside it) lead.
std::vector<std::string> listingFirst(std::vector<std::string> calls)
{
    if (calls.size() > 1 && calls[0] == "isSwarmManager" && calls[1] == "listContainers")
        std::swap(calls[0], calls[1]);
    return calls;
}

std::string joined(const std::vector<std::string>& words)
{
    std::string out;
    for (const auto& word : words)
        out += (out.empty() ? "" : ",") + word.substr(0, word.find(' '));
    return out;
}
} // namespace

/// The deployer on a Swarm manager: services matched with containers, one pull only when the
/// event brings no digest, the pushed digest pinned, one failure never stopping the rest.
/// (The Swarm half of the Deployer's tests; DeployerTest holds the containers' half.)
class DeployerSwarmTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(DeployerSwarmTest);
    CPPUNIT_TEST(testNoManagerNoServiceCalls);
    CPPUNIT_TEST(testNoContainerOrServiceDoesNothingNotEvenAPull);
    CPPUNIT_TEST(testServiceOnlyMatchPullsAndPinsTheRepoDigest);
    CPPUNIT_TEST(testEventDigestNeedsNoPull);
    CPPUNIT_TEST(testServiceOnThePushedDigestIsNotTouched);
    CPPUNIT_TEST(testSwarmTasksAreLeftToTheirService);
    CPPUNIT_TEST(testFailedServiceStopsNoContainerAndWithOnFailureContinueNoOtherService);
    CPPUNIT_TEST(testFailedServiceStopsTheOtherServicesWithOnFailureStop);
    CPPUNIT_TEST(testServiceUpdatesAreJournaledUnderTheDeployAndHost);
    CPPUNIT_TEST(testRolledBackServiceRollsBackTheDeploy);
    CPPUNIT_TEST(testDryRunChangesNoService);
    CPPUNIT_TEST(testUnlistableServicesFailTheDeployButNotItsContainers);
    CPPUNIT_TEST(testPulledImageWithoutRepoDigestFailsTheServices);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _backend = MockContainerBackend();
        _backend.swarmManager = true;
        _settings = DeploySettings();
        _settings.minUptime = Poco::Timespan(0);
        _settings.servicePollInterval = Poco::Timespan(0);
        _backend.addImage(image(kOldId, "demo/hello-world-app@" + kOldDigest));
        _backend.addImage(image(kNewId, "demo/hello-world-app@" + kNewDigest));
        _backend.setPullResult(kImage, kNewId);
    }

    void testNoManagerNoServiceCalls()
    {
        _backend.swarmManager = false;
        addService("web", kImage + "@" + kOldDigest);
        const auto report = deploy();
        CPPUNIT_ASSERT_EQUAL(std::string("no_match"), toString(report.result));
        CPPUNIT_ASSERT_EQUAL(std::string("listContainers,isSwarmManager"),
                             joined(listingFirst(_backend.calls())));
    }

    void testNoContainerOrServiceDoesNothingNotEvenAPull()
    {
        addService("db", "postgres:15@" + kOldDigest);
        const auto report = deploy();
        CPPUNIT_ASSERT_EQUAL(std::string("no_match"), toString(report.result));
        CPPUNIT_ASSERT_EQUAL(std::string("listContainers,isSwarmManager,listServices"),
                             joined(listingFirst(_backend.calls())));
    }

    void testServiceOnlyMatchPullsAndPinsTheRepoDigest()
    {
        addService("web", kImage + "@" + kOldDigest);
        addService("db", "postgres:15@" + kOldDigest);
        const auto report = deploy();
        CPPUNIT_ASSERT_EQUAL(std::string("updated"), toString(report.result));
        // The digest comes from the pull's own inspect: no second image inspect.
        CPPUNIT_ASSERT_EQUAL(std::string("listContainers,isSwarmManager,listServices,pullImage,"
                                         "updateServiceImage,inspectService"),
                             joined(listingFirst(_backend.calls())));
        CPPUNIT_ASSERT_EQUAL(kImage + "@" + kNewDigest, _backend.serviceImage("web"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), report.services.size());
        CPPUNIT_ASSERT_EQUAL(std::string("updated"), toString(report.services[0].result));
        CPPUNIT_ASSERT_EQUAL(kImage + "@" + kOldDigest, report.services[0].oldImage);
        CPPUNIT_ASSERT_EQUAL(kNewId, report.newImageId);
    }

    void testEventDigestNeedsNoPull()
    {
        addService("web", kImage + "@" + kOldDigest);
        const auto report = deploy(kNewDigest);
        CPPUNIT_ASSERT_EQUAL(std::string("updated"), toString(report.result));
        CPPUNIT_ASSERT(_backend.callsTo("pullImage").empty());
        CPPUNIT_ASSERT_EQUAL(kImage + "@" + kNewDigest, _backend.serviceImage("web"));
    }

    void testServiceOnThePushedDigestIsNotTouched()
    {
        addService("web", kImage + "@" + kNewDigest);
        const auto report = deploy();
        CPPUNIT_ASSERT_EQUAL(std::string("up_to_date"), toString(report.result));
        CPPUNIT_ASSERT_EQUAL(std::string("up_to_date"), toString(report.services.at(0).result));
        CPPUNIT_ASSERT(_backend.callsTo("updateServiceImage").empty());
    }

    void testSwarmTasksAreLeftToTheirService()
    {
        addService("web", kImage + "@" + kOldDigest);
        // A task of a service created with --no-resolve-image runs the bare tag.
        Poco::JSON::Object::Ptr labels = new Poco::JSON::Object;
        labels->set("com.docker.swarm.service.id", "web-id");
        labels->set("com.docker.swarm.service.name", "web");
        labels->set("com.docker.swarm.task.id", "x1");
        Poco::JSON::Object::Ptr config = new Poco::JSON::Object;
        config->set("Image", kImage);
        config->set("Labels", labels);
        Poco::JSON::Object::Ptr task = new Poco::JSON::Object;
        task->set("Name", "/web.1.x1");
        task->set("Image", kOldId);
        task->set("Config", config);
        _backend.addContainer(task);
        const auto report = deploy();
        CPPUNIT_ASSERT_EQUAL(std::string("updated"), toString(report.result));
        CPPUNIT_ASSERT(_backend.callsTo("createContainer").empty());
        CPPUNIT_ASSERT(_backend.callsTo("runContainer").empty());
        CPPUNIT_ASSERT(_backend.callsTo("stopContainer").empty());
        CPPUNIT_ASSERT_EQUAL(std::string("skipped"), toString(report.containers.at(0).result));
        CPPUNIT_ASSERT_EQUAL(std::string("updated"), toString(report.services.at(0).result));
    }

    void testFailedServiceStopsNoContainerAndWithOnFailureContinueNoOtherService()
    {
        _settings.stopOnFailure = false;
        const auto report = deployWithTheFirstServiceRefused();
        CPPUNIT_ASSERT_EQUAL(std::string("updated"), toString(report.services.at(1).result));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _backend.callsTo("pullImage").size());
    }

    void testFailedServiceStopsTheOtherServicesWithOnFailureStop()
    {
        const auto report = deployWithTheFirstServiceRefused();
        CPPUNIT_ASSERT_EQUAL(std::string("skipped"), toString(report.services.at(1).result));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _backend.callsTo("updateServiceImage").size());
    }

    void testServiceUpdatesAreJournaledUnderTheDeployAndHost()
    {
        addService("web", kImage + "@" + kOldDigest);
        TempDir dir;
        DeployJournal journal(dir.path());
        const auto report = deploy(kNewDigest, &journal);
        const auto entries = journal.serviceUpdatesOf(report.id);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), entries.size());
        CPPUNIT_ASSERT_EQUAL(std::string("web1"), entries[0].host);
        CPPUNIT_ASSERT_EQUAL(std::string("web"), entries[0].serviceName);
        CPPUNIT_ASSERT_EQUAL(kImage + "@" + kNewDigest, entries[0].image);
        CPPUNIT_ASSERT(entries[0].finished);
        CPPUNIT_ASSERT_EQUAL(std::string("updated"), entries[0].result);
    }

    void testRolledBackServiceRollsBackTheDeploy()
    {
        addService("web", kImage + "@" + kOldDigest);
        _backend.scriptUpdate("web", {{"paused", "t1", "update paused due to failure"}});
        const auto report = deploy();
        CPPUNIT_ASSERT_EQUAL(std::string("rolled_back"), toString(report.result));
        CPPUNIT_ASSERT_EQUAL(std::string("wiretap"), report.services.at(0).rolledBackBy);
        CPPUNIT_ASSERT_EQUAL(kImage + "@" + kOldDigest, _backend.serviceImage("web"));
    }

    void testDryRunChangesNoService()
    {
        _settings.dryRun = true;
        addService("web", kImage + "@" + kOldDigest);
        const auto report = deploy(kNewDigest);
        CPPUNIT_ASSERT_EQUAL(std::string("dry_run"), toString(report.result));
        CPPUNIT_ASSERT_EQUAL(std::string("skipped"), toString(report.services.at(0).result));
        CPPUNIT_ASSERT_EQUAL(kImage + "@" + kNewDigest, report.services[0].newImage);
        CPPUNIT_ASSERT_EQUAL(std::string("listContainers,isSwarmManager,listServices"),
                             joined(listingFirst(_backend.calls())));
    }

    void testUnlistableServicesFailTheDeployButNotItsContainers()
    {
        addContainer("app1");
        _backend.failOn("listServices", "This node is not a swarm manager.");
        const auto report = deploy();
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), toString(report.result));
        CPPUNIT_ASSERT(report.error.find("Swarm services not listed") == 0);
        CPPUNIT_ASSERT_EQUAL(std::string("updated"), toString(report.containers.at(0).result));
    }

    void testPulledImageWithoutRepoDigestFailsTheServices()
    {
        _backend.addImage(image(kNewId, "other/repo@" + kNewDigest));
        addService("web", kImage + "@" + kOldDigest);
        const auto report = deploy();
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), toString(report.result));
        CPPUNIT_ASSERT(report.services.at(0).reason.find("no digest to pin") == 0);
        CPPUNIT_ASSERT(_backend.callsTo("updateServiceImage").empty());
    }

private:
    static Poco::JSON::Object::Ptr image(const std::string& id, const std::string& repoDigest)
    {
        Poco::JSON::Object::Ptr json = new Poco::JSON::Object;
        json->set("Id", id);
        Poco::JSON::Array::Ptr digests = new Poco::JSON::Array;
        digests->add(repoDigest);
        json->set("RepoDigests", digests);
        return json;
    }

    /// A deploy of a container and two services, api and web, whose first service update Swarm
    /// refuses: the container is updated all the same, api fails, and so does the deploy.
    DeployReport deployWithTheFirstServiceRefused()
    {
        addContainer("app1");
        addService("api", kImage + "@" + kOldDigest);
        addService("web", kImage + "@" + kOldDigest);
        _backend.failOn("updateServiceImage", "rpc error: out of sequence", 1);
        auto report = deploy();
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), toString(report.result));
        CPPUNIT_ASSERT_EQUAL(std::string("updated"), toString(report.containers.at(0).result));
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), toString(report.services.at(0).result));
        return report;
    }

    /// A plain container on the image, with the HostConfig the engine shows.
    void addContainer(const std::string& name)
    {
        auto inspect = _backend.addContainer(name, kImage, kOldId);
        Poco::JSON::Object::Ptr host = new Poco::JSON::Object;
        host->set("NetworkMode", "bridge");
        inspect->set("HostConfig", host);
    }

    void addService(const std::string& name, const std::string& image)
    {
        ServiceSummary service;
        service.id = name + "-id";
        service.name = name;
        service.image = image;
        service.replicas = 3;
        _backend.addService(service);
    }

    DeployReport deploy(const std::string& digest = "", DeployJournal* journal = nullptr)
    {
        wiretap::events::ImageEvent event;
        event.registry = "docker.io";
        event.repository = "demo/hello-world-app";
        event.tag = "latest";
        event.digest = digest;
        Deployer deployer(_backend, _settings, journal, "web1");
        return deployer.run(
            DeployRequest{"d1", "docker.io/demo/hello-world-app:latest", {event}, Poco::Timestamp()});
    }

    MockContainerBackend _backend;
    DeploySettings _settings;
};

CPPUNIT_TEST_SUITE_REGISTRATION(DeployerSwarmTest);
