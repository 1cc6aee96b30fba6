#pragma once

#include "deploy/DeployRequest.h"

#include <Poco/Timespan.h>

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace wiretap::deploy
{

/// The queue is at its bound of waiting deploys (answered 503).
class QueueFull : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

/// Deploys waiting and running, coalesced per image:
/// - an event for an image that is already waiting merges into that deploy;
/// - an event for an image whose deploy runs queues exactly one follow-up
///   (later events merge into it), started when the running one ends;
/// - different images run concurrently, up to `maxConcurrent`.
/// The runner is called on the queue's worker threads and must not throw
/// (a throwing runner is logged and treated as finished).
class DeployQueue
{
public:
    using Runner = std::function<void(const DeployRequest&)>;
    /// Told the numbers of waiting and running deploys after every change (for gauges); called
    /// with the queue's lock held, so it must be quick and must not call the queue.
    using CountsObserver = std::function<void(std::size_t waiting, std::size_t running)>;

    struct Submission
    {
        std::string deployId;
        bool merged = false; ///< joined a deploy that was already waiting
    };

    DeployQueue(Runner runner, std::size_t maxConcurrent, std::size_t maxWaiting,
                CountsObserver observer = nullptr);
    ~DeployQueue();

    DeployQueue(const DeployQueue&) = delete;
    DeployQueue& operator=(const DeployQueue&) = delete;

    /// Queues (or merges) the event; throws QueueFull, or std::logic_error after stop().
    Submission submit(const events::ImageEvent& event);

    /// Stops taking events, drops the waiting ones (returned, for the log)
    /// and waits for running deploys to finish.
    std::vector<DeployRequest> stop();

    std::size_t waiting() const;
    std::size_t running() const;
    /// Blocks until nothing waits or runs, or the timeout passes; true when idle.
    bool waitIdle(Poco::Timespan timeout);

private:
    struct ImageSlot
    {
        std::optional<DeployRequest> waiting;
        bool running = false;
    };

    void work();
    void countsChanged();
    std::string newId();

    Runner _runner;
    CountsObserver _observer;
    std::size_t _maxWaiting;
    mutable std::mutex _mutex;
    std::condition_variable _changed;
    std::map<std::string, ImageSlot> _slots;
    std::deque<std::string> _ready; ///< keys with a waiting deploy and none running, oldest first
    std::size_t _waitingCount = 0;
    std::size_t _runningCount = 0;
    std::uint64_t _sequence = 0;
    bool _stopping = false;
    std::vector<std::thread> _workers;
};

} // namespace wiretap::deploy
