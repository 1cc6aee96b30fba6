#include "deploy/RecoveryReports.h"

#include <cppunit/extensions/HelperMacros.h>

using wiretap::deploy::ContainerReport;
using wiretap::deploy::CrashRecovery;
using wiretap::deploy::DeployReport;
using wiretap::deploy::RecoveryAction;
using wiretap::deploy::recoveryReports;
using wiretap::deploy::ServiceReport;

namespace
{
RecoveryAction action(const std::string& deploy, const std::string& name, const std::string& outcome,
                      bool resolved = true)
{
    return {deploy, name, "demo/app:latest", "old-" + name, outcome, "what was done to " + name, resolved};
}

DeployReport serviceReport(const std::string& deploy, ServiceReport::Result result)
{
    DeployReport report;
    report.id = deploy;
    report.recovery = true;
    report.image = "docker.io/demo/app:latest";
    ServiceReport service;
    service.name = "web";
    service.result = result;
    report.services.push_back(service);
    report.result = result == ServiceReport::Result::Updated ? DeployReport::Result::Updated
                                                             : DeployReport::Result::RolledBack;
    return report;
}
} // namespace

class RecoveryReportsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RecoveryReportsTest);
    CPPUNIT_TEST(testOneReportPerInterruptedDeployWithItsContainers);
    CPPUNIT_TEST(testEachOutcomeIsAContainerResult);
    CPPUNIT_TEST(testContainersJoinTheServicesOfTheSameDeploy);
    CPPUNIT_TEST(testNothingRecoveredIsNoReport);
    CPPUNIT_TEST_SUITE_END();

public:
    void testOneReportPerInterruptedDeployWithItsContainers()
    {
        const auto reports = recoveryReports({action("d1", "app1", CrashRecovery::kRolledBack),
                                              action("d2", "db", CrashRecovery::kCompleted),
                                              action("d1", "app2", CrashRecovery::kRolledBack)},
                                             {}, "web1", Poco::Timestamp());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), reports.size());
        const auto& first = reports[0];
        CPPUNIT_ASSERT_EQUAL(std::string("d1"), first.id);
        CPPUNIT_ASSERT(first.recovery);
        CPPUNIT_ASSERT(first.startedAt <= first.finishedAt);
        CPPUNIT_ASSERT_EQUAL(std::string("docker.io/demo/app:latest"), first.image);
        CPPUNIT_ASSERT_EQUAL(DeployReport::Result::RolledBack, first.result);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), first.containers.size());
        CPPUNIT_ASSERT_EQUAL(std::string("app2"), first.containers[1].name);
        CPPUNIT_ASSERT_EQUAL(std::string("old-app2"), first.containers[1].oldId);
        CPPUNIT_ASSERT_EQUAL(std::string("web1"), first.containers[1].host);
        CPPUNIT_ASSERT_EQUAL(std::string("what was done to app2"), first.containers[1].reason);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), first.hosts.size());
        CPPUNIT_ASSERT_EQUAL(std::string("web1"), first.hosts[0].name);
        CPPUNIT_ASSERT_EQUAL(DeployReport::Result::Updated, reports[1].result);
    }

    void testEachOutcomeIsAContainerResult()
    {
        const auto reports = recoveryReports(
            {action("d", "a", CrashRecovery::kRolledBack), action("d", "b", CrashRecovery::kCompleted),
             action("d", "c", CrashRecovery::kGone), action("d", "e", CrashRecovery::kLeftAlone),
             action("d", "f", "unresolved", false)},
            {}, "", Poco::Timestamp());
        const auto& containers = reports.at(0).containers;
        CPPUNIT_ASSERT_EQUAL(ContainerReport::Result::RolledBack, containers[0].result);
        CPPUNIT_ASSERT_EQUAL(ContainerReport::Result::Updated, containers[1].result);
        CPPUNIT_ASSERT_EQUAL(ContainerReport::Result::Skipped, containers[2].result);
        CPPUNIT_ASSERT_EQUAL(ContainerReport::Result::Skipped, containers[3].result);
        CPPUNIT_ASSERT_EQUAL(ContainerReport::Result::Failed, containers[4].result);
        CPPUNIT_ASSERT_EQUAL(std::string("unresolved, retried at the next start: what was done to f"),
                             containers[4].reason);
        // One container left for the next start: the recovery of that deploy failed.
        CPPUNIT_ASSERT_EQUAL(DeployReport::Result::Failed, reports.at(0).result);
    }

    void testContainersJoinTheServicesOfTheSameDeploy()
    {
        const auto reports = recoveryReports({action("d1", "app1", CrashRecovery::kCompleted)},
                                             {serviceReport("d1", ServiceReport::Result::RolledBack),
                                              serviceReport("d2", ServiceReport::Result::Updated)},
                                             "web1", Poco::Timestamp());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), reports.size());
        CPPUNIT_ASSERT_EQUAL(std::string("d1"), reports[0].id);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), reports[0].containers.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), reports[0].services.size());
        CPPUNIT_ASSERT_EQUAL(std::string("web1"), reports[0].services[0].host);
        // A rolled-back service outweighs an updated container.
        CPPUNIT_ASSERT_EQUAL(DeployReport::Result::RolledBack, reports[0].result);
        CPPUNIT_ASSERT(reports[1].containers.empty());
        CPPUNIT_ASSERT_EQUAL(DeployReport::Result::Updated, reports[1].result);
    }

    void testNothingRecoveredIsNoReport()
    {
        CPPUNIT_ASSERT(recoveryReports({}, {}, "web1", Poco::Timestamp()).empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RecoveryReportsTest);
