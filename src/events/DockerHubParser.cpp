#include "events/DockerHubParser.h"
#include "events/EventCollector.h"
#include "events/ImageReference.h"
#include "events/PayloadError.h"
#include "events/Quote.h"
#include "events/ReferenceError.h"

namespace wiretap::events
{
namespace
{
constexpr std::size_t kMaxCallbackUrlLength = 2048;

bool isCallbackUrl(const std::string& url)
{
    return url.size() <= kMaxCallbackUrlLength &&
           (url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0);
}
} // namespace

bool DockerHubParser::matchesBody(const JsonField& body) const
{
    return body["push_data"].isObject() && body["repository"].isObject();
}

ParseResult DockerHubParser::read(const WebhookRequest& request, const JsonField& body) const
{
    const JsonField repoName = body["repository"]["repo_name"];
    const JsonField tagField = body["push_data"]["tag"];
    body["push_data"].requireObject();
    ImageEvent image;
    image.registry = ImageReference::kDockerHub;
    image.repository = repoName.string();
    image.tag = tagField.stringOr("");
    if (image.tag.empty())
        image.tag = ImageReference::kDefaultTag;
    try
    {
        ImageReference::fromParts(image.registry, image.repository, image.tag);
    }
    catch (const ReferenceError& error)
    {
        const bool badTag = !ImageReference::isValidTag(image.tag);
        throw PayloadError(badTag ? tagField.path() : repoName.path(), error.what());
    }

    EventCollector collector(name(), EventSource::DockerHub, request);
    const JsonField callback = body["callback_url"];
    const std::string url = callback.stringOrEmpty();
    if (isCallbackUrl(url))
        image.callbackUrl = url;
    else if (!callback.isMissing())
        collector.ignore(callback.path(), callback.isString()
                                              ? quote(url) + " is not an http(s) URL"
                                              : "expected a string, got " + callback.typeName());
    collector.accept("", std::move(image));
    return collector.take();
}

} // namespace wiretap::events
