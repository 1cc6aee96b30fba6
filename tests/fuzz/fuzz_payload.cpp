// libFuzzer target: every webhook payload parser, through format detection
// (`POST /listen`) and by name (`POST /hooks/<source>`).
// Input: byte 0 picks the headers (one set is GitHub's form encoding) and the named
// parser, the rest is the body.
// Only PayloadError may come out; every event a parser returns must have a
// valid reference (ImageEvent promises reference() does not throw for them).
#include "events/ImageReference.h"
#include "events/ParseResult.h"
#include "events/PayloadError.h"
#include "events/PayloadParsers.h"
#include "events/WebhookRequest.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

using wiretap::events::ParseResult;
using wiretap::events::PayloadError;
using wiretap::events::PayloadParsers;
using wiretap::events::WebhookRequest;

namespace
{
WebhookRequest::Headers headersFor(uint8_t selector)
{
    switch (selector % 9)
    {
    case 0:
        return {{"Content-Type", "application/json"}};
    case 1:
        return {};
    case 2:
        return {{"Content-Type", "application/vnd.docker.distribution.events.v1+json"}};
    case 3:
        return {{"Content-Type", "application/vnd.docker.distribution.events.v2+json; charset=utf-8"}};
    case 4:
        return {{"Content-Type", "application/json"},
                {"X-GitHub-Event", "package"},
                {"X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958"}};
    case 5:
        return {{"X-GitHub-Event", "registry_package"}};
    case 6:
        return {{"Content-Type", "application/json"}, {"X-JFrog-Event-Auth", "s3cret"}};
    case 7:
        return {{"Content-Type", "application/x-www-form-urlencoded"}, {"X-GitHub-Event", "package"}};
    default:
        return {{"Content-Type", "Text/Plain; Charset=UTF-8"}, {"User-Agent", "fuzz"}};
    }
}

void use(const ParseResult& result)
{
    for (const auto& event : result.events)
    {
        // Throws ReferenceError (not caught: a crash) for an invalid event.
        (void)event.reference().normalized();
        (void)event.describe();
    }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static const PayloadParsers parsers = PayloadParsers::standard();
    static const std::vector<std::string> names = parsers.names();
    if (size == 0)
        return 0;
    const uint8_t selector = data[0];
    const std::string body(reinterpret_cast<const char*>(data + 1), size - 1);

    {
        const WebhookRequest request(headersFor(selector), body, {{"token", "s3cret"}});
        try
        {
            use(parsers.parse(request));
        }
        catch (const PayloadError&)
        {
        }
    }
    {
        const WebhookRequest request(headersFor(selector), body);
        try
        {
            use(parsers.parseAs(names[(selector / 8) % names.size()], request));
        }
        catch (const PayloadError&)
        {
        }
    }
    return 0;
}
