#include "deploy/HostFleet.h"
#include "../backend/MockContainerBackend.h"
#include "../backend/TempDir.h"
#include "DeployFixtures.h"
#include "deploy/DeployJournal.h"
#include "deploy/DeploySettings.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <memory>

using wiretap::backend::MockContainerBackend;
using wiretap::backend::TempDir;
using wiretap::deploy::ContainerReport;
using wiretap::deploy::DeployJournal;
using wiretap::deploy::DeployReport;
using wiretap::deploy::DeployRequest;
using wiretap::deploy::DeploySettings;
using wiretap::deploy::HostFleet;
using wiretap::deploy::JournaledUpdate;

namespace
{
using wiretap::deploy::fixtures::kImage;
using wiretap::deploy::fixtures::kNew;
using wiretap::deploy::fixtures::kOld;
using wiretap::deploy::fixtures::request;

/// A mock engine running `containers` on the old image, whose pull gives the new one.
std::unique_ptr<MockContainerBackend> engine(const std::vector<std::string>& containers)
{
    auto backend = std::make_unique<MockContainerBackend>();
    Poco::JSON::Object::Ptr image = new Poco::JSON::Object;
    image->set("Id", kOld);
    backend->addImage(image, {});
    backend->setPullResult(kImage + ":latest", kNew);
    for (const auto& name : containers)
    {
        auto inspect = backend->addContainer(name, kImage, kOld);
        Poco::JSON::Object::Ptr host = new Poco::JSON::Object;
        host->set("NetworkMode", "bridge");
        inspect->set("HostConfig", host);
    }
    return backend;
}

std::vector<HostFleet::EngineStatus> allReachable(const std::vector<HostFleet::Host>& hosts)
{
    return HostFleet::checkEngines(hosts, 4);
}
} // namespace

/// One deploy on several docker hosts: each host's part on its own engine, in one report; a
/// failing or unreachable host fails its own part only.
class HostFleetTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(HostFleetTest);
    CPPUNIT_TEST(testUpdatesEveryHostAndTagsItsContainers);
    CPPUNIT_TEST(testOneFailingHostFailsOnlyItsPart);
    CPPUNIT_TEST(testHostUnreachableAtDeployTimeIsNotDeployedOn);
    CPPUNIT_TEST(testSingleImplicitHostReportsAsItsDeployer);
    CPPUNIT_TEST(testResultIsTheMostUrgentOfTheHosts);
    CPPUNIT_TEST(testHostUnreachableAtStartIsRecoveredBeforeItsFirstDeploy);
    CPPUNIT_TEST(testRecoveryOfOneHostLeavesAnothersEntriesAlone);
    CPPUNIT_TEST(testServiceUpdateOfAHostLateAtStartIsRecoveredAndReportedBeforeItsFirstDeploy);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _settings = DeploySettings();
        _settings.minUptime = Poco::Timespan(0);
        _web1 = engine({"app1"});
        _web2 = engine({"app2", "app3"});
    }

    void testUpdatesEveryHostAndTagsItsContainers()
    {
        HostFleet fleet(hosts(), _settings, nullptr, 2, true);
        fleet.recover(allReachable(fleet.hosts()));
        const auto report = fleet.run(request());

        CPPUNIT_ASSERT_EQUAL(std::string("updated"), toString(report.result));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), report.hosts.size());
        CPPUNIT_ASSERT_EQUAL(std::string("web1"), report.hosts[0].name);
        CPPUNIT_ASSERT_EQUAL(std::string("web2"), report.hosts[1].name);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), report.containers.size());
        for (const auto& container : report.containers)
        {
            CPPUNIT_ASSERT_EQUAL(std::string(container.name == "app1" ? "web1" : "web2"), container.host);
            CPPUNIT_ASSERT_EQUAL(std::string("updated"), toString(container.result));
        }
        CPPUNIT_ASSERT_EQUAL(report.hosts[0].dockerCalls + report.hosts[1].dockerCalls, report.dockerCalls);
        CPPUNIT_ASSERT_EQUAL(kNew, report.newImageId);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _web1->callsTo("pullImage").size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _web2->callsTo("pullImage").size());
    }

    void testOneFailingHostFailsOnlyItsPart()
    {
        _web1->failOn("pullImage", "Error response from daemon: manifest unknown");
        HostFleet fleet(hosts(), _settings, nullptr, 2, true);
        fleet.recover(allReachable(fleet.hosts()));
        const auto report = fleet.run(request());

        CPPUNIT_ASSERT_EQUAL(std::string("failed"), toString(report.result));
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), toString(report.hosts[0].result));
        CPPUNIT_ASSERT(report.hosts[0].error.find("manifest unknown") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("updated"), toString(report.hosts[1].result));
        CPPUNIT_ASSERT(report.error.rfind("web1: ", 0) == 0);
        CPPUNIT_ASSERT(report.error.find("web2") == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("running"), _web2->stateOf("app2"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _web2->created().size());
        CPPUNIT_ASSERT(_web1->created().empty());
    }

    void testHostUnreachableAtDeployTimeIsNotDeployedOn()
    {
        // web2 did not answer at start-up and still does not.
        HostFleet fleet(hosts(), _settings, nullptr, 2, true);
        _web2->failOn("versions", "Cannot connect to the Docker daemon at tcp://10.0.0.2:2376");
        fleet.recover(allReachable(fleet.hosts()));
        _web2->clearCalls();
        const auto report = fleet.run(request());

        CPPUNIT_ASSERT_EQUAL(std::string("failed"), toString(report.result));
        CPPUNIT_ASSERT_EQUAL(std::string("updated"), toString(report.hosts[0].result));
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), toString(report.hosts[1].result));
        CPPUNIT_ASSERT(report.error.find("web2: ") == 0);
        CPPUNIT_ASSERT(report.error.find("Cannot connect") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("versions"), _web2->calls().at(0));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _web2->calls().size());
    }

    void testSingleImplicitHostReportsAsItsDeployer()
    {
        _web1->failOn("pullImage", "manifest unknown");
        HostFleet fleet({{"default", *_web1}}, _settings, nullptr, 4, false);
        fleet.recover(allReachable(fleet.hosts()));
        const auto report = fleet.run(request());

        CPPUNIT_ASSERT_EQUAL(std::string("failed"), toString(report.result));
        CPPUNIT_ASSERT(report.error.find("default") == std::string::npos);
        CPPUNIT_ASSERT(report.error.find("manifest unknown") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), report.hosts.size());
        CPPUNIT_ASSERT_EQUAL(std::string("default"), report.hosts[0].name);
        CPPUNIT_ASSERT_EQUAL(report.hosts[0].dockerCalls, report.dockerCalls);
    }

    void testResultIsTheMostUrgentOfTheHosts()
    {
        auto web3 = engine({});
        HostFleet fleet({{"web1", *_web1}, {"web3", *web3}}, _settings, nullptr, 1, true);
        fleet.recover(allReachable(fleet.hosts()));
        _web1->setPullResult(kImage + ":latest", kOld); // app1 already runs what the pull gives
        auto report = fleet.run(request());
        CPPUNIT_ASSERT_EQUAL(std::string("up_to_date"), toString(report.result));
        CPPUNIT_ASSERT_EQUAL(std::string("no_match"), toString(report.hosts[1].result));

        _web1->setPullResult(kImage + ":latest", kNew);
        report = fleet.run(request());
        CPPUNIT_ASSERT_EQUAL(std::string("updated"), toString(report.result));
        CPPUNIT_ASSERT(report.error.empty());
    }

    void testHostUnreachableAtStartIsRecoveredBeforeItsFirstDeploy()
    {
        TempDir dir;
        DeployJournal journal(dir.path());
        journal.begin(interrupted("web2", "app2"));
        HostFleet fleet(hosts(), _settings, &journal, 2, true);
        _web2->failOn("versions", "Cannot connect to the Docker daemon", 1);
        fleet.recover(allReachable(fleet.hosts()));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), journal.unfinished("web2").size());
        CPPUNIT_ASSERT(_web2->callsTo("listContainers").empty());

        const auto report = fleet.run(request());
        CPPUNIT_ASSERT(journal.unfinished().empty());
        CPPUNIT_ASSERT_EQUAL(std::string("updated"), toString(report.hosts[1].result));
        // versions (failed at start), versions, then recovery's listing before the deploy's (which
        // comes with the manager check, in either order)
        const auto calls = _web2->calls();
        CPPUNIT_ASSERT_EQUAL(std::string("versions"), calls.at(1));
        CPPUNIT_ASSERT_EQUAL(std::string("listContainers"), calls.at(2));
        CPPUNIT_ASSERT(calls.at(3) == "listContainers" || calls.at(4) == "listContainers");
    }

    void testRecoveryOfOneHostLeavesAnothersEntriesAlone()
    {
        TempDir dir;
        DeployJournal journal(dir.path());
        journal.begin(interrupted("", "app1")); // written before docker.hosts: the first host's
        journal.begin(interrupted("web2", "app2"));
        HostFleet fleet(hosts(), _settings, &journal, 2, true);
        _web2->failOn("versions", "Cannot connect to the Docker daemon");
        fleet.recover(allReachable(fleet.hosts()));

        const auto open = journal.unfinished();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), open.size());
        CPPUNIT_ASSERT_EQUAL(std::string("web2"), open[0].host);
        CPPUNIT_ASSERT_EQUAL(std::string("app2"), open[0].container);
        const auto all = journal.updatesOf("d0");
        CPPUNIT_ASSERT_EQUAL(std::string("web1"), all.at(0).host); // adopted, then recovered
        CPPUNIT_ASSERT(all.at(0).finished);
    }

    void testServiceUpdateOfAHostLateAtStartIsRecoveredAndReportedBeforeItsFirstDeploy()
    {
        const std::string oldImage = kImage + ":latest@sha256:" + std::string(64, '1');
        const std::string newImage = kImage + ":latest@sha256:" + std::string(64, '2');
        wiretap::backend::ServiceSummary service;
        service.id = "web-id";
        service.name = "web";
        service.image = newImage;
        service.version = 6;
        service.replicas = 1;
        service.update = {"paused", "t1", "update paused due to failure"};
        _web2->swarmManager = true;
        _web2->addService(service, oldImage);
        TempDir dir;
        DeployJournal journal(dir.path());
        wiretap::deploy::JournaledServiceUpdate entry;
        entry.host = "web2";
        entry.deployId = "d0";
        entry.serviceId = "web-id";
        entry.serviceName = "web";
        entry.oldImage = oldImage;
        entry.oldVersion = 5;
        entry.image = newImage;
        entry.step = "update";
        journal.beginService(entry);
        HostFleet fleet(hosts(), _settings, &journal, 2, true);
        std::vector<DeployReport> recovered;
        fleet.onRecovery([&](const DeployReport& report) { recovered.push_back(report); });
        _web2->failOn("versions", "Cannot connect to the Docker daemon", 1);
        fleet.recover(allReachable(fleet.hosts()));
        CPPUNIT_ASSERT(recovered.empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), journal.unfinishedServices("web2").size());

        fleet.run(request());
        CPPUNIT_ASSERT(journal.unfinishedServices().empty());
        CPPUNIT_ASSERT_EQUAL(oldImage, _web2->serviceImage("web"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), recovered.size());
        CPPUNIT_ASSERT_EQUAL(std::string("d0"), recovered[0].id);
        CPPUNIT_ASSERT_EQUAL(std::string("web2"), recovered[0].services.at(0).host);
        CPPUNIT_ASSERT_EQUAL(std::string("wiretap"), recovered[0].services.at(0).rolledBackBy);
        CPPUNIT_ASSERT_EQUAL(std::string("web2"), recovered[0].hosts.at(0).name);
        // The rollback came before the deploy's first look at the services.
        const auto calls = _web2->calls();
        const auto rollback = std::find(calls.begin(), calls.end(), "rollbackService web-id");
        const auto listing = std::find(calls.begin(), calls.end(), "listServices");
        CPPUNIT_ASSERT(rollback != calls.end());
        CPPUNIT_ASSERT(rollback < listing);
    }

private:
    std::vector<HostFleet::Host> hosts() { return {{"web1", *_web1}, {"web2", *_web2}}; }

    /// An update that a crash interrupted before its stop: recovery finds the container untouched.
    static JournaledUpdate interrupted(const std::string& host, const std::string& container)
    {
        JournaledUpdate update;
        update.host = host;
        update.deployId = "d0";
        update.container = container;
        update.oldId = "unknown";
        update.asideName = container + "-wiretap-old";
        update.wasRunning = true;
        update.image = kImage;
        update.step = "stop";
        return update;
    }

    DeploySettings _settings;
    std::unique_ptr<MockContainerBackend> _web1;
    std::unique_ptr<MockContainerBackend> _web2;
};

CPPUNIT_TEST_SUITE_REGISTRATION(HostFleetTest);
