#include "deploy/ContainerMatcher.h"

#include <cppunit/extensions/HelperMacros.h>

using wiretap::backend::ContainerSummary;
using wiretap::deploy::ContainerMatcher;
using wiretap::deploy::DeploySettings;
using wiretap::events::ImageReference;

/// The containers' matching rules the deployer's tests do not cover: Swarm tasks.
class ContainerMatcherTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ContainerMatcherTest);
    CPPUNIT_TEST(testSwarmTasksAreNeverTargets);
    CPPUNIT_TEST(testSwarmTaskOfAnotherImageIsNotMentioned);
    CPPUNIT_TEST_SUITE_END();

public:
    void testSwarmTasksAreNeverTargets()
    {
        // A service created with --no-resolve-image: its tasks run the tag itself, unpinned.
        ContainerSummary task{"t1",
                              "web.1.abc",
                              "demo/web:v1",
                              "sha256:1",
                              "running",
                              {{"com.docker.swarm.service.id", "svc"},
                               {"com.docker.swarm.service.name", "web"},
                               {"com.docker.swarm.task.id", "abc"}},
                              nullptr};
        ContainerSummary pinned = task;
        pinned.id = "t2";
        pinned.image = "demo/web:v1@sha256:" + std::string(64, 'a');
        ContainerSummary plain{"c1", "app1", "demo/web:v1", "sha256:1", "running", {}, nullptr};
        const auto result = match("demo/web:v1", {task, pinned, plain});
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), result.targets.size());
        CPPUNIT_ASSERT_EQUAL(std::string("app1"), result.targets[0].name);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), result.skipped.size());
        CPPUNIT_ASSERT_EQUAL(std::string("a task of Swarm service web: updated through the service"),
                             result.skipped[0].reason);
        CPPUNIT_ASSERT(ContainerMatcher::isSwarmTask(task));
        CPPUNIT_ASSERT(!ContainerMatcher::isSwarmTask(plain));
    }

    void testSwarmTaskOfAnotherImageIsNotMentioned()
    {
        ContainerSummary task{"t1",       "db.1.abc", "postgres:15",
                              "sha256:1", "running",  {{"com.docker.swarm.task.id", "abc"}},
                              nullptr};
        const auto result = match("demo/web:v1", {task});
        CPPUNIT_ASSERT(result.targets.empty());
        CPPUNIT_ASSERT(result.skipped.empty());
    }

private:
    ContainerMatcher::Result match(const std::string& pushed, const std::vector<ContainerSummary>& containers)
    {
        return ContainerMatcher(_settings).match(ImageReference::parse(pushed), containers);
    }

    DeploySettings _settings;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ContainerMatcherTest);
