#include "../backend/MockContainerBackend.h"
#include "DeployFixtures.h"
#include "deploy/DeploySettings.h"
#include "deploy/Deployer.h"

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>

using wiretap::backend::MockContainerBackend;
using wiretap::deploy::Deployer;
using wiretap::deploy::DeploySettings;
namespace fixtures = wiretap::deploy::fixtures;

namespace
{
Poco::JSON::Object::Ptr image(const std::string& id, const std::string& repoDigest = "")
{
    Poco::JSON::Object::Ptr json = new Poco::JSON::Object;
    json->set("Id", id);
    Poco::JSON::Array::Ptr digests = new Poco::JSON::Array;
    if (!repoDigest.empty())
        digests->add(repoDigest);
    json->set("RepoDigests", digests);
    return json;
}

/// Two calls meet when each has begun before the other ended: each waits (up to two seconds)
/// for the other to begin. Calls made one after the other never meet.
class Rendezvous
{
public:
    /// Marks `side` as begun and waits for every other side in `sides`; false on timeout.
    bool arrive(const std::string& side, const std::set<std::string>& sides)
    {
        std::unique_lock<std::mutex> lock(_mutex);
        _arrived.insert(side);
        _changed.notify_all();
        return _changed.wait_for(lock, std::chrono::seconds(2),
                                 [&]
                                 {
                                     for (const auto& other : sides)
                                         if (!_arrived.count(other))
                                             return false;
                                     return true;
                                 });
    }

private:
    std::mutex _mutex;
    std::condition_variable _changed;
    std::set<std::string> _arrived;
};

/// The mock, with the first call of two methods held until the other one has begun too.
class MeetingBackend : public MockContainerBackend
{
public:
    MeetingBackend(std::string first, std::string second)
        : _first(std::move(first)), _second(std::move(second))
    {
    }

    std::vector<wiretap::backend::ContainerSummary> listContainers() override
    {
        meet("listContainers");
        return MockContainerBackend::listContainers();
    }
    bool isSwarmManager() override
    {
        meet("isSwarmManager");
        return MockContainerBackend::isSwarmManager();
    }
    std::vector<Poco::JSON::Object::Ptr> inspectImages(const std::vector<std::string>& images) override
    {
        meet("inspectImages");
        return MockContainerBackend::inspectImages(images);
    }
    wiretap::backend::PulledImage pullImage(const std::string& reference) override
    {
        meet("pullImage");
        return MockContainerBackend::pullImage(reference);
    }

    /// How the first calls of the two methods went: "met", "alone" (one waited in vain), "" (not both
    /// called).
    std::string outcome()
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (_results.size() < 2)
            return "";
        for (const auto& result : _results)
            if (!result.second)
                return "alone";
        return "met";
    }

private:
    void meet(const std::string& method)
    {
        if (method != _first && method != _second)
            return;
        {
            std::lock_guard<std::mutex> lock(_mutex);
            if (_results.count(method))
                return; // only the first call of each
            _results[method] = false;
        }
        const bool met = _rendezvous.arrive(method, {_first, _second});
        std::lock_guard<std::mutex> lock(_mutex);
        _results[method] = met;
    }

    std::string _first;
    std::string _second;
    Rendezvous _rendezvous;
    std::mutex _mutex;
    std::map<std::string, bool> _results;
};
} // namespace

/// The docker calls a deploy makes alongside each other, and the ones it must not.
class DeployerConcurrencyTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(DeployerConcurrencyTest);
    CPPUNIT_TEST(testOldImagesAreInspectedWhileThePullRuns);
    CPPUNIT_TEST(testSwarmManagerCheckRunsWhileTheContainersAreListed);
    CPPUNIT_TEST(testWithAnEventDigestTheOldImagesAreInspectedBeforeThePull);
    CPPUNIT_TEST(testFailedPullStillEndsTheInspectAndTouchesNothing);
    CPPUNIT_TEST(testNoMatchStillPullsNothing);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _settings = DeploySettings();
        _settings.minUptime = Poco::Timespan(0);
    }

    void testOldImagesAreInspectedWhileThePullRuns()
    {
        MeetingBackend backend("inspectImages", "pullImage");
        prepare(backend);
        const auto report = Deployer(backend, _settings).run(fixtures::request());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(report), std::string("updated"), toString(report.result));
        CPPUNIT_ASSERT_EQUAL(std::string("met"), backend.outcome());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), backend.callsTo("inspectImages").size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), backend.callsTo("pullImage").size());
    }

    void testSwarmManagerCheckRunsWhileTheContainersAreListed()
    {
        MeetingBackend backend("listContainers", "isSwarmManager");
        prepare(backend);
        const auto report = Deployer(backend, _settings).run(fixtures::request());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(report), std::string("updated"), toString(report.result));
        CPPUNIT_ASSERT_EQUAL(std::string("met"), backend.outcome());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), backend.callsTo("isSwarmManager").size());
    }

    void testWithAnEventDigestTheOldImagesAreInspectedBeforeThePull()
    {
        // The digest may show that every container already runs the push: then no pull at all.
        MeetingBackend backend("inspectImages", "pullImage");
        prepare(backend);
        auto request = fixtures::request();
        request.events.back().digest = "sha256:" + std::string(64, 'd');
        const auto report = Deployer(backend, _settings).run(request);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(report), std::string("updated"), toString(report.result));
        CPPUNIT_ASSERT_EQUAL(std::string("alone"), backend.outcome());
        const auto& calls = backend.calls();
        const auto inspect =
            std::find_if(calls.begin(), calls.end(),
                         [](const std::string& c) { return c.rfind("inspectImages", 0) == 0; });
        const auto pull = std::find_if(calls.begin(), calls.end(),
                                       [](const std::string& c) { return c.rfind("pullImage", 0) == 0; });
        CPPUNIT_ASSERT(inspect < pull && pull != calls.end());
    }

    void testFailedPullStillEndsTheInspectAndTouchesNothing()
    {
        MeetingBackend backend("inspectImages", "pullImage");
        prepare(backend);
        backend.failOn("pullImage", "manifest unknown");
        const auto report = Deployer(backend, _settings).run(fixtures::request());
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), toString(report.result));
        CPPUNIT_ASSERT(report.error.find("manifest unknown") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("met"), backend.outcome());
        CPPUNIT_ASSERT(backend.callsTo("stopContainer").empty());
        CPPUNIT_ASSERT(backend.callsTo("renameContainer").empty());
    }

    void testNoMatchStillPullsNothing()
    {
        MeetingBackend backend("inspectImages", "pullImage");
        backend.addImage(image(kOther), {});
        backend.addContainer("db", "postgres:15", kOther);
        backend.setPullResult(fixtures::kImage + ":latest", fixtures::kNew);
        const auto report = Deployer(backend, _settings).run(fixtures::request());
        CPPUNIT_ASSERT_EQUAL(std::string("no_match"), toString(report.result));
        CPPUNIT_ASSERT(backend.callsTo("pullImage").empty());
        CPPUNIT_ASSERT(backend.callsTo("inspectImages").empty());
        CPPUNIT_ASSERT_EQUAL(std::string(""), backend.outcome());
    }

private:
    static std::string describe(const wiretap::deploy::DeployReport& report)
    {
        std::string text = report.error;
        for (const auto& container : report.containers)
            text += "; " + container.name + ": " + container.reason;
        return text;
    }

    inline static const std::string kOther = "sha256:" + std::string(64, 'c');

    static void prepare(MockContainerBackend& backend)
    {
        backend.addImage(image(fixtures::kOld), {});
        backend.addImage(image(fixtures::kNew), {});
        backend.setPullResult(fixtures::kImage + ":latest", fixtures::kNew);
        auto inspect = backend.addContainer("app1", fixtures::kImage, fixtures::kOld);
        Poco::JSON::Object::Ptr host = new Poco::JSON::Object;
        host->set("NetworkMode", "bridge");
        inspect->set("HostConfig", host); // the mock keeps this object: later inspects show it
    }

    DeploySettings _settings;
};

CPPUNIT_TEST_SUITE_REGISTRATION(DeployerConcurrencyTest);
