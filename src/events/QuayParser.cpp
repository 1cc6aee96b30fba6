#include "events/QuayParser.h"
#include "events/EventCollector.h"

namespace wiretap::events
{

bool QuayParser::matchesBody(const JsonField& body) const
{
    return body["docker_url"].isString() && !body["updated_tags"].isMissing();
}

ParseResult QuayParser::read(const WebhookRequest& request, const JsonField& body) const
{
    const std::string url = body["docker_url"].string();
    const JsonField tags = body["updated_tags"];
    if (!tags.isObject())
        tags.requireArray();

    EventCollector collector(name(), EventSource::Quay, request);
    const auto slash = url.find('/');
    const auto addTag = [&](const std::string& where, const std::string& tag)
    {
        ImageEvent event;
        event.registry = url.substr(0, slash);
        event.repository = slash == std::string::npos ? "" : url.substr(slash + 1);
        event.tag = tag;
        collector.accept(where, std::move(event));
    };
    if (tags.isObject())
    {
        for (const auto& tag : tags.keys())
            addTag(tags[tag].path(), tag);
    }
    for (std::size_t i = 0; i < tags.size(); ++i)
        collector.guard(tags[i].path(), [&]() { addTag(tags[i].path(), tags[i].string()); });
    if (tags.size() == 0 && tags.keys().empty())
        collector.ignore(tags.path(), "no tags");
    return collector.take();
}

} // namespace wiretap::events
