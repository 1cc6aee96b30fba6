#include "events/HarborParser.h"
#include "events/EventCollector.h"
#include "events/Quote.h"

namespace wiretap::events
{
namespace
{
bool isCloudEvent(const JsonField& body)
{
    return body["specversion"].isString();
}

void readResource(const JsonField& resource, const std::string& deliveryId, EventCollector& collector)
{
    resource.requireObject();
    const std::string where = resource.path();
    const std::string tag = resource["tag"].stringOr("");
    if (tag.find(':') != std::string::npos)
        return collector.ignore(where, "tag " + quote(tag) + ": pushed by digest, no tag");
    if (tag.empty())
        return collector.ignore(where, "no tag (pushed by digest)");

    // `host/project/repo:tag` or `host/project/repo@sha256:...`
    const std::string url = resource["resource_url"].string();
    const auto slash = url.find('/');
    std::string path = slash == std::string::npos ? "" : url.substr(slash + 1);
    path = path.substr(0, path.find('@'));
    path = path.substr(0, path.find(':'));

    ImageEvent event;
    event.registry = url.substr(0, slash);
    event.repository = path;
    event.tag = tag;
    event.digest = resource["digest"].stringOr("");
    event.deliveryId = deliveryId;
    collector.accept(where, std::move(event));
}
} // namespace

bool HarborParser::matchesBody(const JsonField& body) const
{
    const JsonField type = body["type"];
    if (!type.isString())
        return false;
    if (isCloudEvent(body))
        return type.string().rfind("harbor.", 0) == 0;
    return body["event_data"].isObject();
}

ParseResult HarborParser::read(const WebhookRequest& request, const JsonField& body) const
{
    const bool cloud = isCloudEvent(body);
    const std::string type = body["type"].string();
    const JsonField data = cloud ? body["data"] : body["event_data"];
    data.requireObject();

    EventCollector collector(name(), EventSource::Harbor, request);
    const std::string deliveryId = cloud ? body["id"].stringOrEmpty() : "";
    collector.addDeliveryId(deliveryId);
    if (type != (cloud ? "harbor.artifact.pushed" : "PUSH_ARTIFACT"))
    {
        collector.ignore("", printable(type, 60) + ", not a push");
        return collector.take();
    }
    const JsonField resources = data["resources"];
    resources.requireArray();
    for (std::size_t i = 0; i < resources.size(); ++i)
        collector.guard(resources[i].path(), [&]() { readResource(resources[i], deliveryId, collector); });
    return collector.take();
}

} // namespace wiretap::events
