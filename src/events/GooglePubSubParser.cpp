#include "events/GooglePubSubParser.h"
#include "events/EventCollector.h"
#include "events/ImageReference.h"
#include "events/PayloadError.h"
#include "events/Quote.h"

#include <Poco/Base64Decoder.h>
#include <Poco/StreamCopier.h>

#include <cctype>
#include <sstream>

namespace wiretap::events
{
namespace
{
bool isNotification(const JsonField& body)
{
    const JsonField action = body["action"];
    return action.isString() && (action.string() == "INSERT" || action.string() == "DELETE") &&
           (body["tag"].isString() || body["digest"].isString()) && body["target"].isMissing();
}

/// Pub/Sub data is standard base64; Poco's decoder skips some junk silently.
bool isBase64(const std::string& text)
{
    for (const char c : text)
    {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/' && c != '=' && c != '\n' &&
            c != '\r')
            return false;
    }
    return true;
}

/// The digest named by `digestText` (`host/path@sha256:...`, or a bare
/// digest) when it belongs to `image`'s repository. Invalid text is passed
/// on for the collector to report; another repository's digest is dropped.
std::string digestFor(const ImageReference& image, const std::string& digestText, const std::string& where,
                      EventCollector& collector)
{
    const auto reference = ImageReference::tryParse(digestText);
    if (reference && !reference->digest().empty())
    {
        if (reference->repository() == image.repository())
            return reference->digest();
        collector.ignore(where,
                         "digest " + quote(digestText) +
                             " is of another repository than the tag; the event is kept without a digest");
        return "";
    }
    const auto at = digestText.find('@');
    return at == std::string::npos ? digestText : digestText.substr(at + 1);
}

void readNotification(const JsonField& notification, const std::string& where, const std::string& deliveryId,
                      EventCollector& collector)
{
    const std::string action = notification["action"].string();
    if (action != "INSERT")
        return collector.ignore(where, printable(action, 40) + ", not an INSERT");
    const std::string tag = notification["tag"].stringOr("");
    if (tag.empty())
        return collector.ignore(where, "pushed by digest, no tag");
    const std::string lastSegment = tag.substr(tag.rfind('/') == std::string::npos ? 0 : tag.rfind('/'));
    if (lastSegment.find(':') == std::string::npos || lastSegment.find('@') != std::string::npos)
        return collector.ignore(where, "tag " + quote(tag) + " is not a reference with a tag");
    const ImageReference image = ImageReference::parse(tag);

    ImageEvent event;
    event.registry = image.domain();
    event.repository = image.path();
    event.tag = image.tag();
    const std::string digest = notification["digest"].stringOr("");
    event.digest = digest.empty() ? "" : digestFor(image, digest, where, collector);
    event.deliveryId = deliveryId;
    collector.accept(where, std::move(event));
}

void readMessage(const JsonField& message, const std::string& deliveryId, EventCollector& collector)
{
    const JsonField data = message["data"];
    const std::string text = data.string();
    std::string decoded;
    bool decodedAll = isBase64(text);
    if (decodedAll)
    {
        std::istringstream encoded(text);
        Poco::Base64Decoder decoder(encoded);
        // The stream turns the decoder's DataFormatException into badbit.
        Poco::StreamCopier::copyToString(decoder, decoded);
        decodedAll = !decoder.bad();
    }
    if (!decodedAll)
        return collector.ignore(data.path(), "not base64");
    const WebhookRequest inner({}, decoded);
    Poco::JSON::Object::Ptr notification;
    try
    {
        notification = inner.json();
    }
    catch (const PayloadError& error)
    {
        return collector.ignore(data.path(), "decoded " + error.problem());
    }
    readNotification(JsonField(notification, data.path()), data.path(), deliveryId, collector);
}
} // namespace

bool GooglePubSubParser::matchesBody(const JsonField& body) const
{
    const JsonField message = body["message"];
    return (message.isObject() && (message["data"].isString() || body["subscription"].isString())) ||
           isNotification(body);
}

ParseResult GooglePubSubParser::read(const WebhookRequest& request, const JsonField& body) const
{
    EventCollector collector(name(), EventSource::Google, request);
    if (isNotification(body))
    {
        collector.guard("", [&]() { readNotification(body, "", "", collector); });
        return collector.take();
    }
    const JsonField message = body["message"];
    message.requireObject();
    std::string deliveryId = message["messageId"].stringOrEmpty();
    if (deliveryId.empty())
        deliveryId = message["message_id"].stringOrEmpty();
    collector.addDeliveryId(deliveryId);
    collector.guard(message["data"].path(), [&]() { readMessage(message, deliveryId, collector); });
    return collector.take();
}

} // namespace wiretap::events
