#include "events/AcrParser.h"
#include "events/DistributionEvent.h"
#include "events/EventCollector.h"

namespace wiretap::events
{

bool AcrParser::matchesBody(const JsonField& body) const
{
    const JsonField action = body["action"];
    return action.isString() && (body["target"].isObject() || action.string() == "ping") &&
           body["events"].isMissing() && body["message"].isMissing();
}

ParseResult AcrParser::read(const WebhookRequest& request, const JsonField& body) const
{
    body["action"].string(); // the one field every ACR event has: without it this is no ACR body
    EventCollector collector(name(), EventSource::Acr, request);
    collector.guard("", [&]() { DistributionEvent::read(body, "", collector); });
    return collector.take();
}

} // namespace wiretap::events
