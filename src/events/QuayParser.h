#pragma once

#include "events/PayloadParser.h"

namespace wiretap::events
{

/// Quay repository push: `docker_url` (host/namespace/name) and
/// `updated_tags`, a list of tags (an object keyed by tag in old deliveries;
/// its values are not digests and are not used). One ImageEvent per tag, no
/// digest, no delivery id. Recognized by `docker_url` with `updated_tags`.
class QuayParser : public PayloadParser
{
public:
    std::string name() const override { return "quay"; }

protected:
    bool matchesBody(const JsonField& body) const override;
    ParseResult read(const WebhookRequest& request, const JsonField& body) const override;
};

} // namespace wiretap::events
