#include "events/GitHubParser.h"
#include "events/EventCollector.h"
#include "events/ImageReference.h"
#include "events/Quote.h"

#include <Poco/String.h>

namespace wiretap::events
{
namespace
{
bool isPing(const JsonField& body)
{
    return body["zen"].isString() && !body["hook_id"].isMissing();
}

bool isContainerType(const JsonField& field)
{
    if (!field.isString())
        return false;
    const std::string type = Poco::toLower(field.string());
    return type == "container" || type == "docker";
}

/// The first valid digest among the candidates; else the first non-empty one,
/// which the collector reports as invalid.
std::string pickDigest(const std::vector<JsonField>& candidates)
{
    std::string fallback;
    for (const auto& candidate : candidates)
    {
        if (!candidate.isString() || candidate.string().empty())
            continue;
        if (ImageReference::isValidDigest(candidate.string()))
            return candidate.string();
        if (fallback.empty())
            fallback = candidate.string();
    }
    return fallback;
}

void readPackage(const JsonField& body, const JsonField& package, const std::string& delivery,
                 EventCollector& collector)
{
    const std::string action = body["action"].stringOr("");
    if (action != "published" && action != "updated")
        return collector.ignore("", "action " + quote(action) + ", not published or updated");
    if (!isContainerType(package["package_type"]) && !isContainerType(package["ecosystem"]))
        return collector.ignore("", "package type " + quote(package["package_type"].stringOrEmpty()) +
                                        ", not a container");
    const JsonField version = package["package_version"];
    version.requireObject();
    const JsonField metadata = version["container_metadata"];
    const std::string tag = metadata["tag"]["name"].stringOr("");
    if (tag.empty())
        return collector.ignore("", "package version " + quote(version["name"].stringOrEmpty()) +
                                        " has no tag (a per-platform manifest of a multi-arch push)");

    std::string url = Poco::toLower(version["package_url"].string());
    while (!url.empty() && url.back() == ':')
        url.pop_back();
    const ImageReference image = ImageReference::parse(url);

    ImageEvent event;
    event.registry = image.domain();
    event.repository = image.path();
    event.tag = tag;
    event.digest = pickDigest({metadata["tag"]["digest"], version["name"]});
    event.deliveryId = delivery;
    collector.accept("", std::move(event));
}
} // namespace

bool GitHubParser::matchesHeaders(const WebhookRequest& request) const
{
    return request.hasHeader("x-github-event");
}

bool GitHubParser::matchesBody(const JsonField& body) const
{
    return body["package"].isObject() || body["registry_package"].isObject() || isPing(body);
}

ParseResult GitHubParser::read(const WebhookRequest& request, const JsonField& body) const
{
    EventCollector collector(name(), EventSource::GitHub, request);
    const std::string delivery = request.header("x-github-delivery");
    collector.addDeliveryId(delivery);

    std::string event = request.header("x-github-event");
    if (event.empty())
        event = isPing(body) ? "ping" : body["registry_package"].isObject() ? "registry_package" : "package";
    if (event == "ping")
    {
        collector.ignore("", "ping");
        return collector.take();
    }
    if (event != "package" && event != "registry_package")
    {
        collector.ignore("", "GitHub event " + quote(event) + ", not a package event");
        return collector.take();
    }
    const JsonField package = body[event];
    package.requireObject();
    collector.guard("", [&]() { readPackage(body, package, delivery, collector); });
    return collector.take();
}

} // namespace wiretap::events
