#include "deploy/DeployQueue.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

using wiretap::deploy::DeployQueue;
using wiretap::deploy::DeployRequest;
using wiretap::deploy::QueueFull;
using wiretap::events::ImageEvent;

namespace
{
ImageEvent event(const std::string& repository, const std::string& tag = "latest", const std::string& id = "")
{
    ImageEvent e;
    e.registry = "docker.io";
    e.repository = repository;
    e.tag = tag;
    e.deliveryId = id;
    return e;
}

/// A runner that records every request and can hold runs until released.
class RecordingRunner
{
public:
    void operator()(const DeployRequest& request)
    {
        std::unique_lock<std::mutex> lock(_mutex);
        _runs.push_back(request);
        ++_active;
        _maxActive = std::max(_maxActive, _active);
        _changed.notify_all();
        _changed.wait(lock, [this] { return !_hold; });
        --_active;
        if (request.key.find("explodes") != std::string::npos)
            throw std::runtime_error("boom");
    }

    void hold()
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _hold = true;
    }

    void release()
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _hold = false;
        _changed.notify_all();
    }

    bool waitForRuns(std::size_t count)
    {
        std::unique_lock<std::mutex> lock(_mutex);
        return _changed.wait_for(lock, std::chrono::seconds(10), [&] { return _runs.size() >= count; });
    }

    std::vector<DeployRequest> runs()
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _runs;
    }

    int maxActive()
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _maxActive;
    }

private:
    std::mutex _mutex;
    std::condition_variable _changed;
    std::vector<DeployRequest> _runs;
    bool _hold = false;
    int _active = 0;
    int _maxActive = 0;
};
} // namespace

class DeployQueueTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(DeployQueueTest);
    CPPUNIT_TEST(testRunsOneEventOnce);
    CPPUNIT_TEST(testEventsForAWaitingImageMergeIntoOneDeploy);
    CPPUNIT_TEST(testBurstWhileRunningQueuesExactlyOneFollowUp);
    CPPUNIT_TEST(testDifferentImagesRunConcurrentlyUpToTheLimit);
    CPPUNIT_TEST(testSameImageNeverRunsTwiceAtOnce);
    CPPUNIT_TEST(testRefusesNewImagesWhenFull);
    CPPUNIT_TEST(testRunnerErrorDoesNotStopTheQueue);
    CPPUNIT_TEST(testStopDropsWaitingAndWaitsForRunning);
    CPPUNIT_TEST(testTagsAndRegistriesAreDistinctImages);
    CPPUNIT_TEST(testObserverSeesEveryCountChange);
    CPPUNIT_TEST_SUITE_END();

public:
    void testObserverSeesEveryCountChange()
    {
        RecordingRunner runner;
        runner.hold();
        std::mutex mutex;
        std::vector<std::pair<std::size_t, std::size_t>> seen;
        DeployQueue queue(std::ref(runner), 1, 10,
                          [&](std::size_t waiting, std::size_t running)
                          {
                              std::lock_guard<std::mutex> lock(mutex);
                              seen.emplace_back(waiting, running);
                          });
        queue.submit(event("demo/app"));
        CPPUNIT_ASSERT(runner.waitForRuns(1));
        runner.release();
        CPPUNIT_ASSERT(queue.waitIdle(Poco::Timespan(10, 0)));
        std::lock_guard<std::mutex> lock(mutex);
        const std::vector<std::pair<std::size_t, std::size_t>> expected = {{1, 0}, {0, 1}, {0, 0}};
        CPPUNIT_ASSERT(expected == seen);
    }

    void testRunsOneEventOnce()
    {
        RecordingRunner runner;
        DeployQueue queue(std::ref(runner), 2, 10);
        const auto submission = queue.submit(event("demo/app"));
        CPPUNIT_ASSERT(!submission.merged);
        CPPUNIT_ASSERT(queue.waitIdle(Poco::Timespan(10, 0)));
        const auto runs = runner.runs();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), runs.size());
        CPPUNIT_ASSERT_EQUAL(submission.deployId, runs[0].id);
        CPPUNIT_ASSERT_EQUAL(std::string("docker.io/demo/app:latest"), runs[0].key);
    }

    void testEventsForAWaitingImageMergeIntoOneDeploy()
    {
        RecordingRunner runner;
        runner.hold();
        DeployQueue queue(std::ref(runner), 1, 10);
        queue.submit(event("demo/blocker"));
        CPPUNIT_ASSERT(runner.waitForRuns(1));
        const auto first = queue.submit(event("demo/app", "latest", "a"));
        const auto second = queue.submit(event("demo/app", "latest", "b"));
        CPPUNIT_ASSERT(second.merged);
        CPPUNIT_ASSERT_EQUAL(first.deployId, second.deployId);
        runner.release();
        CPPUNIT_ASSERT(queue.waitIdle(Poco::Timespan(10, 0)));
        const auto runs = runner.runs();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), runs.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), runs[1].events.size());
        CPPUNIT_ASSERT_EQUAL(std::string("b"), runs[1].events[1].deliveryId);
    }

    void testBurstWhileRunningQueuesExactlyOneFollowUp()
    {
        RecordingRunner runner;
        runner.hold();
        DeployQueue queue(std::ref(runner), 4, 10);
        queue.submit(event("demo/app"));
        CPPUNIT_ASSERT(runner.waitForRuns(1));
        for (int i = 0; i < 1000; ++i)
            queue.submit(event("demo/app"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), queue.waiting());
        runner.release();
        CPPUNIT_ASSERT(queue.waitIdle(Poco::Timespan(10, 0)));
        const auto runs = runner.runs();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), runs.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1000), runs[1].events.size());
    }

    void testDifferentImagesRunConcurrentlyUpToTheLimit()
    {
        RecordingRunner runner;
        runner.hold();
        DeployQueue queue(std::ref(runner), 2, 10);
        queue.submit(event("demo/a"));
        queue.submit(event("demo/b"));
        queue.submit(event("demo/c"));
        CPPUNIT_ASSERT(runner.waitForRuns(2));
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), runner.runs().size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), queue.running());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), queue.waiting());
        runner.release();
        CPPUNIT_ASSERT(queue.waitIdle(Poco::Timespan(10, 0)));
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), runner.runs().size());
        CPPUNIT_ASSERT_EQUAL(2, runner.maxActive());
    }

    void testSameImageNeverRunsTwiceAtOnce()
    {
        RecordingRunner runner;
        runner.hold();
        DeployQueue queue(std::ref(runner), 4, 10);
        queue.submit(event("demo/app"));
        CPPUNIT_ASSERT(runner.waitForRuns(1));
        queue.submit(event("demo/app"));
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), queue.running());
        runner.release();
        CPPUNIT_ASSERT(queue.waitIdle(Poco::Timespan(10, 0)));
        CPPUNIT_ASSERT_EQUAL(1, runner.maxActive());
    }

    void testRefusesNewImagesWhenFull()
    {
        RecordingRunner runner;
        runner.hold();
        DeployQueue queue(std::ref(runner), 1, 2);
        queue.submit(event("demo/running"));
        CPPUNIT_ASSERT(runner.waitForRuns(1));
        queue.submit(event("demo/a"));
        queue.submit(event("demo/b"));
        CPPUNIT_ASSERT_THROW(queue.submit(event("demo/c")), QueueFull);
        CPPUNIT_ASSERT(queue.submit(event("demo/a")).merged); // merging needs no room
        runner.release();
        CPPUNIT_ASSERT(queue.waitIdle(Poco::Timespan(10, 0)));
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), runner.runs().size());
    }

    void testRunnerErrorDoesNotStopTheQueue()
    {
        RecordingRunner runner;
        DeployQueue queue(std::ref(runner), 1, 10);
        queue.submit(event("demo/explodes"));
        queue.submit(event("demo/fine"));
        CPPUNIT_ASSERT(queue.waitIdle(Poco::Timespan(10, 0)));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), runner.runs().size());
    }

    void testStopDropsWaitingAndWaitsForRunning()
    {
        RecordingRunner runner;
        runner.hold();
        DeployQueue queue(std::ref(runner), 1, 10);
        queue.submit(event("demo/running"));
        CPPUNIT_ASSERT(runner.waitForRuns(1));
        queue.submit(event("demo/waiting"));
        std::thread releaser(
            [&]
            {
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
                runner.release();
            });
        const auto dropped = queue.stop();
        releaser.join();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), dropped.size());
        CPPUNIT_ASSERT_EQUAL(std::string("docker.io/demo/waiting:latest"), dropped[0].key);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), queue.running());
        CPPUNIT_ASSERT_THROW(queue.submit(event("demo/late")), std::logic_error);
    }

    void testTagsAndRegistriesAreDistinctImages()
    {
        ImageEvent other = event("demo/app");
        other.registry = "Registry.Example.com:5000";
        CPPUNIT_ASSERT_EQUAL(std::string("registry.example.com:5000/demo/app:latest"),
                             wiretap::deploy::deployKey(other));
        CPPUNIT_ASSERT(wiretap::deploy::deployKey(event("demo/app", "v1")) !=
                       wiretap::deploy::deployKey(event("demo/app", "v2")));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DeployQueueTest);
