#pragma once

#include "events/PayloadParser.h"

namespace wiretap::events
{

/// JFrog Artifactory docker events (`domain: docker`, `event_type: pushed`).
/// The image is `<host of jpd_origin>/<data.repo_key>/<data.image_name>:<data.tag>`:
/// the "repository path" access method that JFrog Cloud uses by default
/// (`docker pull example.jfrog.io/docker-local/app:1`). Digest: `sha256:` +
/// `data.sha256`. Recognized by `X-JFrog-Event-Auth`, or by `domain`,
/// `event_type` and a `data` object.
class JFrogParser : public PayloadParser
{
public:
    std::string name() const override { return "jfrog"; }

protected:
    bool matchesHeaders(const WebhookRequest& request) const override;
    bool matchesBody(const JsonField& body) const override;
    ParseResult read(const WebhookRequest& request, const JsonField& body) const override;
};

} // namespace wiretap::events
