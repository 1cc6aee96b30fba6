#include "deploy/DeploymentHistory.h"

#include "deploy/JournalError.h"
#include "log/LogFields.h"

#include <Poco/Logger.h>

namespace wiretap::deploy
{
namespace
{
void journalFailed(const std::string& what, const JournalError& exc)
{
    log::error(Poco::Logger::get("wiretap.deploy"), what, {{"Error", exc.what()}});
}
} // namespace

DeploymentHistory::DeploymentHistory(std::size_t capacity, DeployJournal* journal)
    : _capacity(capacity), _journal(journal)
{
}

void DeploymentHistory::add(const DeployReport& report)
{
    if (_journal)
    {
        try
        {
            _journal->saveReport(report);
        }
        catch (const JournalError& exc)
        {
            journalFailed("Deploy report not journaled", exc);
        }
    }
    std::lock_guard<std::mutex> lock(_mutex);
    _reports.push_front(report.toJson());
    while (_reports.size() > _capacity)
        _reports.pop_back();
}

std::vector<Poco::JSON::Object::Ptr> DeploymentHistory::recent(std::size_t limit) const
{
    if (_journal)
    {
        try
        {
            return _journal->recentReports(limit);
        }
        catch (const JournalError& exc)
        {
            journalFailed("Deploy reports read from memory only", exc);
        }
    }
    std::lock_guard<std::mutex> lock(_mutex);
    const std::size_t count = std::min(limit, _reports.size());
    return std::vector<Poco::JSON::Object::Ptr>(_reports.begin(),
                                                _reports.begin() + static_cast<std::ptrdiff_t>(count));
}

Poco::JSON::Object::Ptr DeploymentHistory::find(const std::string& id) const
{
    if (_journal)
    {
        try
        {
            return _journal->findReport(id);
        }
        catch (const JournalError& exc)
        {
            journalFailed("Deploy reports read from memory only", exc);
        }
    }
    std::lock_guard<std::mutex> lock(_mutex);
    for (const auto& report : _reports)
        if (report->getValue<std::string>("id") == id)
            return report;
    return nullptr;
}

} // namespace wiretap::deploy
