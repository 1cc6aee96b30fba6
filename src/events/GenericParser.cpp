#include "events/GenericParser.h"
#include "events/EventCollector.h"
#include "events/ImageReference.h"
#include "events/PayloadError.h"
#include "events/Quote.h"
#include "events/ReferenceError.h"
#include "events/ReferenceGrammar.h"

namespace wiretap::events
{

bool GenericParser::matchesBody(const JsonField& body) const
{
    return body["image"].isString();
}

ParseResult GenericParser::read(const WebhookRequest& request, const JsonField& body) const
{
    const JsonField imageField = body["image"];
    const JsonField digestField = body["digest"];
    const std::string text = imageField.string();
    std::string digest = digestField.stringOr("");

    std::optional<ImageReference> image;
    try
    {
        image = ImageReference::parse(text);
    }
    catch (const ReferenceError& error)
    {
        throw PayloadError(imageField.path(), error.what());
    }
    if (image->tag().empty())
        throw PayloadError(imageField.path(),
                           quote(text) + " names a digest but no tag: name the tag to deploy");
    if (!digest.empty())
    {
        const std::string problem = ReferenceGrammar::digestProblem(digest);
        if (!problem.empty())
            throw PayloadError(digestField.path(), problem);
    }
    if (!image->digest().empty())
    {
        if (!digest.empty() && digest != image->digest())
            throw PayloadError(digestField.path(), "differs from the digest in image " + quote(text));
        digest = image->digest();
    }

    ImageEvent event;
    event.registry = image->domain();
    event.repository = image->path();
    event.tag = image->tag();
    event.digest = digest;
    EventCollector collector(name(), EventSource::Generic, request);
    collector.accept("", std::move(event));
    return collector.take();
}

} // namespace wiretap::events
