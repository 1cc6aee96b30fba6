#pragma once

#include "events/PayloadParser.h"

namespace wiretap::events
{

/// Azure Container Registry: a single distribution-shaped event without the
/// envelope; `action` is push, delete, ping, chart_push, ... Recognized by a
/// top-level `action` with a `target` object (or `action: ping`).
class AcrParser : public PayloadParser
{
public:
    std::string name() const override { return "acr"; }

protected:
    bool matchesBody(const JsonField& body) const override;
    ParseResult read(const WebhookRequest& request, const JsonField& body) const override;
};

} // namespace wiretap::events
