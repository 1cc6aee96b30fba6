#pragma once

#include "deploy/DeployJournal.h"
#include "deploy/DeployReport.h"

#include <Poco/JSON/Object.h>

#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace wiretap::deploy
{

/// The most recent deploy reports, newest first, as DeployReport::toJson()
/// gives them, for `GET /v1/deployments`. With a journal they are kept there
/// and survive restarts; the newest `capacity` are also kept in memory, which
/// answers when the journal cannot be read. Thread-safe.
class DeploymentHistory
{
public:
    explicit DeploymentHistory(std::size_t capacity, DeployJournal* journal = nullptr);

    /// Never throws: a report the journal cannot save is logged and kept in memory.
    void add(const DeployReport& report);
    /// Up to `limit` reports, newest first.
    std::vector<Poco::JSON::Object::Ptr> recent(std::size_t limit) const;
    /// The newest report with this id; null when there is none.
    Poco::JSON::Object::Ptr find(const std::string& id) const;

private:
    std::size_t _capacity;
    DeployJournal* _journal;
    mutable std::mutex _mutex;
    std::deque<Poco::JSON::Object::Ptr> _reports;
};

} // namespace wiretap::deploy
