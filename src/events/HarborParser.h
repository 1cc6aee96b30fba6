#pragma once

#include "events/PayloadParser.h"

namespace wiretap::events
{

/// Harbor, in both of its formats: the default one (`type: PUSH_ARTIFACT`,
/// `event_data.resources[]`) and CloudEvents (`type: harbor.artifact.pushed`,
/// `data.resources[]`, delivery id `id`). One ImageEvent per resource: host
/// = first segment of `resource_url`, path = the rest without tag or digest,
/// tag and digest from their fields; a tag like `sha256:...` means the
/// artifact was pushed by digest (ignored). Recognized by `type` with
/// `event_data`, or a CloudEvents `specversion` with a `harbor.` type.
class HarborParser : public PayloadParser
{
public:
    std::string name() const override { return "harbor"; }

protected:
    bool matchesBody(const JsonField& body) const override;
    ParseResult read(const WebhookRequest& request, const JsonField& body) const override;
};

} // namespace wiretap::events
