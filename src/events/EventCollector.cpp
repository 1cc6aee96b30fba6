#include "events/EventCollector.h"
#include "events/PayloadError.h"
#include "events/Quote.h"
#include "events/ReferenceError.h"
#include "events/ReferenceGrammar.h"

#include <Poco/Exception.h>

namespace wiretap::events
{

EventCollector::EventCollector(const std::string& format, EventSource source, const WebhookRequest& request)
    : _source(source), _receivedAt(request.receivedAt())
{
    _result.format = format;
}

bool EventCollector::accept(const std::string& where, ImageEvent event)
{
    if (event.tag.empty())
    {
        ignore(where, "no tag");
        return false;
    }
    try
    {
        const auto reference = ImageReference::fromParts(event.registry, event.repository, event.tag);
        event.registry = reference.domain();
        event.repository = reference.path();
    }
    catch (const ReferenceError& error)
    {
        ignore(where, error.what());
        return false;
    }
    if (!event.digest.empty())
    {
        const std::string problem = ReferenceGrammar::digestProblem(event.digest);
        if (!problem.empty())
        {
            ignore(where, problem + "; the event is kept without a digest");
            event.digest.clear();
        }
    }
    event.source = _source;
    event.receivedAt = _receivedAt;
    _result.events.push_back(std::move(event));
    return true;
}

void EventCollector::ignore(const std::string& where, const std::string& reason)
{
    _result.ignore(where.empty() ? reason : where + ": " + reason);
}

void EventCollector::ignoreCurrentException(const std::string& where)
{
    try
    {
        throw;
    }
    catch (const PayloadError& error)
    {
        ignore("", error.what()); // already names the full field path
    }
    catch (const ReferenceError& error)
    {
        ignore(where, error.what());
    }
    catch (const Poco::Exception& error)
    {
        ignore(where, "unreadable: " + printable(error.displayText(), 200));
    }
}

} // namespace wiretap::events
