#include "backend/SwarmInspectParser.h"
#include "backend/BackendError.h"
#include "backend/InspectJson.h"

#include <cppunit/extensions/HelperMacros.h>

#include <fstream>
#include <sstream>

using wiretap::backend::BackendError;
using wiretap::backend::ServiceSummary;
using wiretap::backend::SwarmInspectParser;

namespace
{
/// The first object of tests/fixtures/swarm/NAME.json (an array) or the object it holds.
Poco::JSON::Object::Ptr fixture(const std::string& name)
{
    std::ifstream in(std::string(WIRETAP_FIXTURES_DIR) + "/swarm/" + name + ".json");
    std::stringstream text;
    text << in.rdbuf();
    const std::string json = text.str();
    return wiretap::backend::inspect::parseArray(json.front() == '[' ? json : "[" + json + "]").at(0);
}

ServiceSummary service(const std::string& name)
{
    return SwarmInspectParser::service(*fixture(name));
}
} // namespace

/// Recorded `docker service inspect` and `docker info` output (engine 20.10) read right.
class SwarmInspectParserTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SwarmInspectParserTest);
    CPPUNIT_TEST(testReadsTheSpecOfANewService);
    CPPUNIT_TEST(testReadsEachUpdateState);
    CPPUNIT_TEST(testReadsTheFailureAction);
    CPPUNIT_TEST(testGlobalServiceHasNoReplicaCount);
    CPPUNIT_TEST(testObjectWithoutSpecIsNoService);
    CPPUNIT_TEST(testOnlyAnActiveNodeWithControlIsAManager);
    CPPUNIT_TEST_SUITE_END();

public:
    void testReadsTheSpecOfANewService()
    {
        const auto created = service("service-created");
        CPPUNIT_ASSERT_EQUAL(std::string("fedrbg85qjnqtsnr06m9k146t"), created.id);
        CPPUNIT_ASSERT_EQUAL(std::string("web"), created.name);
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1:5000/swarmfix/web:v1@sha256:"
                                         "3c8eaaccacd334004c1e9418ab9e7248d5f3981134b51c7a51fcf7b4a5fd2540"),
                             created.image);
        CPPUNIT_ASSERT_EQUAL(std::string("true"), created.labels.at("wiretap.enable"));
        CPPUNIT_ASSERT(created.containerLabels.empty());
        CPPUNIT_ASSERT_EQUAL(2LL, created.replicas);
        CPPUNIT_ASSERT_EQUAL(12LL, created.version); // Version.Index
        CPPUNIT_ASSERT_EQUAL(40LL, service("service-completed").version);
        CPPUNIT_ASSERT_EQUAL(std::string("pause"), created.failureAction);
        CPPUNIT_ASSERT(created.update.state.empty()); // never updated: no UpdateStatus
        CPPUNIT_ASSERT(created.update.startedAt.empty());
    }

    void testReadsEachUpdateState()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("updating"), service("service-updating").update.state);
        CPPUNIT_ASSERT_EQUAL(std::string("completed"), service("service-completed").update.state);
        const auto paused = service("service-paused");
        CPPUNIT_ASSERT_EQUAL(std::string("paused"), paused.update.state);
        CPPUNIT_ASSERT(paused.update.message.find("update paused due to failure") == 0);
        CPPUNIT_ASSERT_EQUAL(std::string("2026-11-29T11:22:49.959062916Z"), paused.update.startedAt);
        const auto rollback = service("service-rollback-started");
        CPPUNIT_ASSERT_EQUAL(std::string("rollback_started"), rollback.update.state);
        CPPUNIT_ASSERT_EQUAL(std::string("manually requested rollback"), rollback.update.message);
        CPPUNIT_ASSERT(rollback.update.startedAt != paused.update.startedAt);
        CPPUNIT_ASSERT_EQUAL(std::string("rollback_completed"),
                             service("service-rollback-completed").update.state);
    }

    void testReadsTheFailureAction()
    {
        const auto bySwarm = service("service-rolled-back-by-swarm");
        CPPUNIT_ASSERT_EQUAL(std::string("rollback"), bySwarm.failureAction);
        CPPUNIT_ASSERT_EQUAL(std::string("rollback_completed"), bySwarm.update.state);
    }

    void testGlobalServiceHasNoReplicaCount()
    {
        const auto global = fixture("service-created");
        Poco::JSON::Object::Ptr mode = new Poco::JSON::Object;
        mode->set("Global", Poco::JSON::Object::Ptr(new Poco::JSON::Object));
        global->getObject("Spec")->set("Mode", mode);
        global->getObject("Spec")->remove("UpdateConfig");
        const auto parsed = SwarmInspectParser::service(*global);
        CPPUNIT_ASSERT_EQUAL(-1LL, parsed.replicas);
        CPPUNIT_ASSERT_EQUAL(std::string("pause"), parsed.failureAction); // Swarm's default
    }

    void testObjectWithoutSpecIsNoService()
    {
        Poco::JSON::Object object;
        object.set("ID", "abc");
        CPPUNIT_ASSERT_THROW(SwarmInspectParser::service(object), BackendError);
    }

    void testOnlyAnActiveNodeWithControlIsAManager()
    {
        CPPUNIT_ASSERT(SwarmInspectParser::isActiveManager(*fixture("info-swarm-manager")));
        CPPUNIT_ASSERT(!SwarmInspectParser::isActiveManager(*fixture("info-swarm-inactive")));
        auto worker = fixture("info-swarm-manager");
        worker->set("ControlAvailable", false);
        CPPUNIT_ASSERT(!SwarmInspectParser::isActiveManager(*worker));
        auto pending = fixture("info-swarm-manager");
        pending->set("LocalNodeState", "pending");
        CPPUNIT_ASSERT(!SwarmInspectParser::isActiveManager(*pending));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SwarmInspectParserTest);
