#include "events/ImageEvent.h"

namespace wiretap::events
{

ImageReference ImageEvent::reference() const
{
    return ImageReference::fromParts(registry, repository, tag);
}

std::string ImageEvent::describe() const
{
    std::string text = registry + "/" + repository + ":" + tag;
    if (!digest.empty())
        text += "@" + digest;
    return text;
}

} // namespace wiretap::events
