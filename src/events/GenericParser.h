#pragma once

#include "events/PayloadParser.h"

namespace wiretap::events
{

/// wiretap's own format for scripts and CI jobs: `{"image": "repo:tag",
/// "digest": "sha256:..."}` (digest optional). `image` is parsed like a name
/// given to `docker run` (`nginx:1.25` is `docker.io/library/nginx:1.25`) and
/// must name a tag. One image per request, so anything invalid is a PayloadError.
/// Recognized by a string `image`.
class GenericParser : public PayloadParser
{
public:
    std::string name() const override { return "generic"; }

protected:
    bool matchesBody(const JsonField& body) const override;
    ParseResult read(const WebhookRequest& request, const JsonField& body) const override;
};

} // namespace wiretap::events
