#pragma once

#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_set>

namespace wiretap::http
{

/// Remembers the last `capacity` delivery keys, so a sender's retry of a
/// delivery it already made (same GitHub delivery id, Pub/Sub message id,
/// registry event id) is accepted once. Thread-safe.
class RecentDeliveries
{
public:
    explicit RecentDeliveries(std::size_t capacity) : _capacity(capacity) {}

    /// True the first time `key` is seen (and remembers it), false after.
    bool firstTime(const std::string& key);

private:
    std::size_t _capacity;
    std::mutex _mutex;
    std::deque<std::string> _order;
    std::unordered_set<std::string> _seen;
};

} // namespace wiretap::http
