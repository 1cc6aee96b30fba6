#include "notify/NotificationBodies.h"

#include <cppunit/extensions/HelperMacros.h>

using wiretap::deploy::ContainerReport;
using wiretap::deploy::DeployReport;
using wiretap::deploy::ServiceReport;

class NotificationBodiesTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(NotificationBodiesTest);
    CPPUNIT_TEST(testSuccessfulDeployIsASuccessCallback);
    CPPUNIT_TEST(testRolledBackDeployIsAFailureWithTheReason);
    CPPUNIT_TEST(testSwarmServicesAreInTheSummary);
    CPPUNIT_TEST(testDescriptionIsCutAt255BytesWithoutSplittingUtf8);
    CPPUNIT_TEST(testSummaryIsSlackCompatibleAndCarriesTheReport);
    CPPUNIT_TEST_SUITE_END();

public:
    void testSuccessfulDeployIsASuccessCallback()
    {
        const auto body =
            wiretap::notify::dockerHubCallback(report(DeployReport::Result::Updated), "https://w/x");
        CPPUNIT_ASSERT_EQUAL(std::string("success"), body->getValue<std::string>("state"));
        CPPUNIT_ASSERT_EQUAL(std::string("wiretap"), body->getValue<std::string>("context"));
        CPPUNIT_ASSERT_EQUAL(std::string("https://w/x"), body->getValue<std::string>("target_url"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("wiretap: docker.io/demo/app:latest updated (app1 updated) in 2.5 s"),
            body->getValue<std::string>("description"));
    }

    void testRolledBackDeployIsAFailureWithTheReason()
    {
        auto failed = report(DeployReport::Result::RolledBack);
        failed.containers[0].result = ContainerReport::Result::RolledBack;
        failed.containers[0].reason = "start failed: exit code 1";
        const auto body = wiretap::notify::dockerHubCallback(failed, "");
        CPPUNIT_ASSERT_EQUAL(std::string("failure"), body->getValue<std::string>("state"));
        CPPUNIT_ASSERT(!body->has("target_url"));
        CPPUNIT_ASSERT(body->getValue<std::string>("description").find(": start failed: exit code 1") !=
                       std::string::npos);
    }

    void testSwarmServicesAreInTheSummary()
    {
        auto failed = report(DeployReport::Result::RolledBack);
        ServiceReport service;
        service.name = "web";
        service.result = ServiceReport::Result::RolledBack;
        service.rolledBackBy = "wiretap";
        service.reason = "Swarm paused the update: task x1 failed";
        failed.services.push_back(service);
        service.name = "labelled-off";
        service.result = ServiceReport::Result::Skipped;
        failed.services.push_back(service);
        CPPUNIT_ASSERT_EQUAL(
            std::string("wiretap: docker.io/demo/app:latest rolled_back (app1 updated, service web "
                        "rolled_back by wiretap) in 2.5 s: Swarm paused the update: task x1 failed"),
            wiretap::notify::summaryText(failed));
    }

    void testDescriptionIsCutAt255BytesWithoutSplittingUtf8()
    {
        auto failed = report(DeployReport::Result::Failed);
        failed.error.clear();
        for (int i = 0; i < 200; ++i)
            failed.error += "\xc3\xa9"; // é
        const std::string description =
            wiretap::notify::dockerHubCallback(failed, "")->getValue<std::string>("description");
        CPPUNIT_ASSERT(description.size() <= 255);
        CPPUNIT_ASSERT_EQUAL(std::string("..."), description.substr(description.size() - 3));
        const std::string body = description.substr(0, description.size() - 3);
        CPPUNIT_ASSERT((static_cast<unsigned char>(body.back()) & 0xC0) != 0xC0); // no dangling lead byte
    }

    void testSummaryIsSlackCompatibleAndCarriesTheReport()
    {
        const auto body = wiretap::notify::deploySummary(report(DeployReport::Result::Updated));
        CPPUNIT_ASSERT(
            body->getValue<std::string>("text").find("wiretap: docker.io/demo/app:latest updated") == 0);
        CPPUNIT_ASSERT_EQUAL(std::string("d1"), body->getObject("deployment")->getValue<std::string>("id"));
    }

private:
    static DeployReport report(DeployReport::Result result)
    {
        DeployReport report;
        report.id = "d1";
        report.image = "docker.io/demo/app:latest";
        report.result = result;
        report.finishedAt = report.startedAt + 2500000;
        ContainerReport container;
        container.name = "app1";
        container.result = ContainerReport::Result::Updated;
        report.containers.push_back(container);
        return report;
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(NotificationBodiesTest);
