#include "MockContainerBackend.h"
#include "backend/DockerError.h"

#include <cppunit/extensions/HelperMacros.h>

using wiretap::backend::BackendError;
using wiretap::backend::ContainerSpec;
using wiretap::backend::DockerError;
using wiretap::backend::MockContainerBackend;
using Lines = std::vector<std::string>;

class MockContainerBackendTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(MockContainerBackendTest);
    CPPUNIT_TEST(testRecordsCallsInOrder);
    CPPUNIT_TEST(testModelsARecreate);
    CPPUNIT_TEST(testFailsAnyMethodWhenTold);
    CPPUNIT_TEST(testFailsOnlyTheNextCallsOrOneArgument);
    CPPUNIT_TEST(testHealthAndMissingContainers);
    CPPUNIT_TEST_SUITE_END();

public:
    void testRecordsCallsInOrder()
    {
        MockContainerBackend mock;
        mock.addContainer("web", "demo/app", "sha256:1");
        mock.listContainers();
        mock.stopContainer("web", "SIGTERM", 10);
        CPPUNIT_ASSERT(Lines({"listContainers", "stopContainer web SIGTERM 10"}) == mock.calls());
        CPPUNIT_ASSERT(Lines({"stopContainer web SIGTERM 10"}) == mock.callsTo("stopContainer"));
    }

    void testModelsARecreate()
    {
        MockContainerBackend mock;
        mock.addContainer("web", "demo/app", "sha256:1");
        mock.setPullResult("demo/app", "sha256:2");
        CPPUNIT_ASSERT_EQUAL(std::string("sha256:2"), mock.pullImage("demo/app").id);
        mock.renameContainer("web", "web-old");
        mock.createContainer(ContainerSpec(), "demo/app", "web");
        CPPUNIT_ASSERT_EQUAL(std::string("created"), mock.stateOf("web"));
        mock.stopContainer("web-old", "", -1);
        mock.startContainer("web");
        mock.waitUntilHealthy("web", Poco::Timespan(1, 0));
        mock.removeContainer("web-old", false, false);
        CPPUNIT_ASSERT(Lines({"web"}) == mock.containerNames());
        CPPUNIT_ASSERT_EQUAL(std::string("running"), mock.stateOf("web"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), mock.created().size());
        const auto list = mock.listContainers();
        CPPUNIT_ASSERT_EQUAL(std::string("demo/app"), list.at(0).image);
        CPPUNIT_ASSERT_THROW(mock.createContainer(ContainerSpec(), "demo/app", "web"), DockerError);
    }

    void testFailsAnyMethodWhenTold()
    {
        MockContainerBackend mock;
        mock.addContainer("web", "demo/app", "sha256:1");
        mock.failOn("startContainer", "port is already allocated");
        try
        {
            mock.startContainer("web");
            CPPUNIT_FAIL("no error");
        }
        catch (const DockerError& e)
        {
            CPPUNIT_ASSERT_EQUAL(std::string("port is already allocated"), e.stderrText());
        }
        CPPUNIT_ASSERT_THROW(mock.startContainer("web"), DockerError);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2),
                             mock.callsTo("startContainer").size()); // failed calls are recorded
        mock.clearFailures();
        mock.startContainer("web");
    }

    void testFailsOnlyTheNextCallsOrOneArgument()
    {
        MockContainerBackend mock;
        mock.addContainer("a", "x", "sha256:1");
        mock.addContainer("b", "x", "sha256:1");
        mock.failOn("stopContainer", "once", 1);
        mock.failOn("removeContainer", "only b", -1, "b");
        CPPUNIT_ASSERT_THROW(mock.stopContainer("a", "", 1), DockerError);
        mock.stopContainer("a", "", 1);
        mock.removeContainer("a", false, false);
        CPPUNIT_ASSERT_THROW(mock.removeContainer("b", true, false), DockerError);
    }

    void testHealthAndMissingContainers()
    {
        MockContainerBackend mock;
        mock.addContainer("web", "demo/app", "sha256:1", "running");
        mock.setHealth("web", "unhealthy");
        CPPUNIT_ASSERT_THROW(mock.waitUntilHealthy("web", Poco::Timespan(1, 0)), BackendError);
        mock.waitUntilRunning("web", Poco::Timespan(1, 0));
        CPPUNIT_ASSERT_THROW(mock.inspectContainers({"nope"}), DockerError);
        CPPUNIT_ASSERT_THROW(mock.inspectImages({"nope"}), DockerError);
        CPPUNIT_ASSERT_EQUAL(std::string("20.10.24"), mock.versions().serverVersion);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MockContainerBackendTest);
