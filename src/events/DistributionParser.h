#pragma once

#include "events/PayloadParser.h"

namespace wiretap::events
{

/// CNCF distribution registry notifications (also GitLab's and Harbor's
/// embedded registries): `{"events": [...]}`, one ImageEvent per tagged
/// manifest push. Recognized by the content type
/// `application/vnd.docker.distribution.events.v1+json` (or `v2`) or by the
/// `events` array.
class DistributionParser : public PayloadParser
{
public:
    std::string name() const override { return "registry"; }

protected:
    bool matchesHeaders(const WebhookRequest& request) const override;
    bool matchesBody(const JsonField& body) const override;
    ParseResult read(const WebhookRequest& request, const JsonField& body) const override;
};

} // namespace wiretap::events
