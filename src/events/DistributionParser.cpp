#include "events/DistributionParser.h"
#include "events/DistributionEvent.h"
#include "events/EventCollector.h"

namespace wiretap::events
{

bool DistributionParser::matchesHeaders(const WebhookRequest& request) const
{
    const std::string type = request.mediaType();
    return type == "application/vnd.docker.distribution.events.v1+json" ||
           type == "application/vnd.docker.distribution.events.v2+json";
}

bool DistributionParser::matchesBody(const JsonField& body) const
{
    return body["events"].isArray();
}

ParseResult DistributionParser::read(const WebhookRequest& request, const JsonField& body) const
{
    const JsonField events = body["events"];
    events.requireArray();
    EventCollector collector(name(), EventSource::Registry, request);
    for (std::size_t i = 0; i < events.size(); ++i)
    {
        const JsonField event = events[i];
        collector.guard(event.path(), [&]() { DistributionEvent::read(event, event.path(), collector); });
    }
    return collector.take();
}

} // namespace wiretap::events
