#pragma once

#include "events/ImageEvent.h"
#include "events/ParseResult.h"
#include "events/WebhookRequest.h"

#include <string>

namespace wiretap::events
{

/// Builds a parser's ParseResult. Every candidate event is validated on its
/// own; a problem becomes an ignored reason, never an exception.
class EventCollector
{
public:
    EventCollector(const std::string& format, EventSource source, const WebhookRequest& request);

    /// Validates `event.registry`, `.repository` and `.tag`, normalizes them
    /// (`index.docker.io` to `docker.io`, `library/` for official images) and
    /// keeps the event; otherwise ignores it with a reason starting with
    /// `where`. An invalid digest is dropped with a reason and the event kept:
    /// the tag is what gets deployed, the digest only confirms it.
    /// Fills in the source and the received time. Returns whether it was kept.
    bool accept(const std::string& where, ImageEvent event);
    /// Records `where: reason` (or just `reason` when `where` is empty).
    void ignore(const std::string& where, const std::string& reason);
    void addDeliveryId(const std::string& id) { _result.addDeliveryId(id); }

    /// Runs `read`, turning a PayloadError, ReferenceError or Poco::Exception it
    /// throws into an ignored reason: one bad event must not spoil the others.
    template <typename Read> void guard(const std::string& where, Read&& read);

    ParseResult take() { return std::move(_result); }

private:
    /// Called in a catch block: records the exception in flight, or rethrows it.
    void ignoreCurrentException(const std::string& where);

    EventSource _source;
    Poco::Timestamp _receivedAt;
    ParseResult _result;
};

template <typename Read> void EventCollector::guard(const std::string& where, Read&& read)
{
    try
    {
        read();
    }
    catch (...)
    {
        ignoreCurrentException(where);
    }
}

} // namespace wiretap::events
