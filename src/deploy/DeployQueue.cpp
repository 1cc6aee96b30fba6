#include "deploy/DeployQueue.h"

#include "log/LogFields.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/Logger.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <chrono>

namespace wiretap::deploy
{

DeployQueue::DeployQueue(Runner runner, std::size_t maxConcurrent, std::size_t maxWaiting,
                         CountsObserver observer)
    : _runner(std::move(runner)), _observer(std::move(observer)), _maxWaiting(maxWaiting)
{
    const std::size_t workers = std::max<std::size_t>(1, maxConcurrent);
    for (std::size_t i = 0; i < workers; ++i)
        _workers.emplace_back([this] { work(); });
}

DeployQueue::~DeployQueue()
{
    stop();
}

std::string DeployQueue::newId()
{
    // Sortable; unique within this process, and across restarts (which take more than 1 ms).
    return Poco::DateTimeFormatter::format(Poco::Timestamp(), "%Y%m%dT%H%M%S%i") + "-" +
           std::to_string(++_sequence);
}

DeployQueue::Submission DeployQueue::submit(const events::ImageEvent& event)
{
    const std::string key = deployKey(event);
    std::lock_guard<std::mutex> lock(_mutex);
    if (_stopping)
        throw std::logic_error("the deploy queue is stopped");

    ImageSlot& slot = _slots[key];
    if (slot.waiting)
    {
        slot.waiting->events.push_back(event);
        return {slot.waiting->id, true};
    }
    if (_waitingCount >= _maxWaiting)
    {
        if (!slot.running)
            _slots.erase(key);
        throw QueueFull("the deploy queue holds " + std::to_string(_waitingCount) +
                        " waiting deploys (its limit)");
    }
    slot.waiting = DeployRequest{newId(), key, {event}, Poco::Timestamp()};
    ++_waitingCount;
    countsChanged();
    if (!slot.running)
    {
        _ready.push_back(key);
        _changed.notify_all();
    }
    return {slot.waiting->id, false};
}

void DeployQueue::work()
{
    std::unique_lock<std::mutex> lock(_mutex);
    for (;;)
    {
        _changed.wait(lock, [this] { return _stopping || !_ready.empty(); });
        if (_stopping)
            return;
        const std::string key = _ready.front();
        _ready.pop_front();
        ImageSlot& slot = _slots[key];
        DeployRequest request = std::move(*slot.waiting);
        slot.waiting.reset();
        slot.running = true;
        --_waitingCount;
        ++_runningCount;
        countsChanged();

        lock.unlock();
        try
        {
            _runner(request);
        }
        catch (const std::exception& exc)
        {
            log::error(Poco::Logger::get("wiretap.deploy"), "Deploy ended with an unexpected error",
                       {{"Deploy", request.id}, {"Image", key}, {"Error", exc.what()}});
        }
        lock.lock();

        --_runningCount;
        countsChanged();
        ImageSlot& after = _slots[key];
        after.running = false;
        if (after.waiting && !_stopping)
            _ready.push_back(key); // the follow-up
        else if (!after.waiting)
            _slots.erase(key);
        _changed.notify_all();
    }
}

std::vector<DeployRequest> DeployQueue::stop()
{
    std::vector<DeployRequest> dropped;
    {
        std::unique_lock<std::mutex> lock(_mutex);
        if (!_stopping)
        {
            _stopping = true;
            _changed.notify_all();
        }
        _changed.wait(lock, [this] { return _runningCount == 0; });
        for (auto& [key, slot] : _slots)
            if (slot.waiting)
                dropped.push_back(std::move(*slot.waiting));
        _slots.clear();
        _ready.clear();
        _waitingCount = 0;
        countsChanged();
    }
    for (auto& worker : _workers)
        if (worker.joinable())
            worker.join();
    return dropped;
}

void DeployQueue::countsChanged()
{
    if (!_observer)
        return;
    try
    {
        _observer(_waitingCount, _runningCount);
    }
    catch (...)
    {
        // Gauges only: never let them break the queue.
    }
}

std::size_t DeployQueue::waiting() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _waitingCount;
}

std::size_t DeployQueue::running() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _runningCount;
}

bool DeployQueue::waitIdle(Poco::Timespan timeout)
{
    std::unique_lock<std::mutex> lock(_mutex);
    return _changed.wait_for(lock, std::chrono::microseconds(timeout.totalMicroseconds()),
                             [this] { return _waitingCount == 0 && _runningCount == 0; });
}

} // namespace wiretap::deploy
