#pragma once

#include "events/PayloadParser.h"

namespace wiretap::events
{

/// Google Artifact Registry / Container Registry notifications through a
/// Pub/Sub push subscription: `{"message": {"data": <base64 JSON>,
/// "messageId": ...}, "subscription": ...}` where the data is `{action,
/// digest, tag}`, `tag` a full reference (`us-east1-docker.pkg.dev/p/r/img:1`),
/// `digest` one with `@sha256:...`. Only `INSERT` with a tag counts. The bare
/// data object (a relay that unwraps it) is accepted too. Delivery id:
/// `messageId` (or `message_id`). Anything wrong inside the message is an
/// ignored reason, because Pub/Sub redelivers on every non-2xx answer.
class GooglePubSubParser : public PayloadParser
{
public:
    std::string name() const override { return "google"; }

protected:
    bool matchesBody(const JsonField& body) const override;
    ParseResult read(const WebhookRequest& request, const JsonField& body) const override;
};

} // namespace wiretap::events
