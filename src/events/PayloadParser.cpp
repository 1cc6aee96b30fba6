#include "events/PayloadParser.h"
#include "events/PayloadError.h"
#include "events/Quote.h"
#include "events/ReferenceError.h"

#include <Poco/Exception.h>

namespace wiretap::events
{

bool PayloadParser::matchesHeaders(const WebhookRequest&) const
{
    return false;
}

bool PayloadParser::recognizesHeaders(const WebhookRequest& request) const
{
    try
    {
        return matchesHeaders(request);
    }
    catch (const std::exception&)
    {
        return false;
    }
}

bool PayloadParser::recognizesBody(const WebhookRequest& request) const
{
    try
    {
        return matchesBody(JsonField(request.json()));
    }
    catch (const std::exception&)
    {
        return false;
    }
}

bool PayloadParser::recognizes(const WebhookRequest& request) const
{
    return recognizesHeaders(request) || recognizesBody(request);
}

ParseResult PayloadParser::parse(const WebhookRequest& request) const
{
    try
    {
        const bool form = readsFormPayload() && request.isFormEncoded();
        ParseResult result = read(request, JsonField(form ? request.formPayloadJson() : request.json()));
        result.format = name();
        return result;
    }
    catch (const PayloadError&)
    {
        throw;
    }
    catch (const ReferenceError& error)
    {
        throw PayloadError("", error.what());
    }
    catch (const Poco::Exception& error)
    {
        throw PayloadError("", name() + " payload unreadable: " + printable(error.displayText(), 200));
    }
    catch (const std::bad_alloc&)
    {
        throw;
    }
    catch (const std::exception& error)
    {
        throw PayloadError("", name() + " payload unreadable: " + printable(error.what(), 200));
    }
}

} // namespace wiretap::events
