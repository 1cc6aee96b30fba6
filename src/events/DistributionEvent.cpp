#include "events/DistributionEvent.h"
#include "events/Quote.h"

#include <array>

namespace wiretap::events
{

bool DistributionEvent::isManifestMediaType(const std::string& mediaType)
{
    static const std::array<const char*, 4> kManifestTypes = {
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.oci.image.index.v1+json",
    };
    for (const char* type : kManifestTypes)
    {
        if (mediaType == type)
            return true;
    }
    return false;
}

void DistributionEvent::read(const JsonField& event, const std::string& where, EventCollector& collector)
{
    event.requireObject();
    const std::string id = event["id"].stringOrEmpty();
    collector.addDeliveryId(id);

    const std::string action = event["action"].string();
    if (action == "ping")
        return collector.ignore(where, "ping");
    if (action != "push")
        return collector.ignore(where, printable(action, 40) + ", not a push");

    const JsonField target = event["target"];
    target.requireObject();
    // A missing media type is left to the tag check: blobs never have a tag.
    const std::string mediaType = target["mediaType"].stringOr("");
    if (!mediaType.empty() && !isManifestMediaType(mediaType))
        return collector.ignore(where, "push of " + printable(mediaType) + ", not an image manifest");
    const std::string tag = target["tag"].stringOr("");
    if (tag.empty())
        return collector.ignore(where, "manifest pushed by digest, no tag");

    ImageEvent image;
    image.registry = event["request"]["host"].string();
    image.repository = target["repository"].string();
    image.tag = tag;
    image.digest = target["digest"].stringOr("");
    image.deliveryId = id;
    collector.accept(where, std::move(image));
}

} // namespace wiretap::events
