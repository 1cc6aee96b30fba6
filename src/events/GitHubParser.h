#pragma once

#include "events/PayloadParser.h"

namespace wiretap::events
{

/// GitHub `package` (repository and organization hooks) and
/// `registry_package` (GitHub Apps) events for container packages. The image
/// is `package_version.package_url`, lower-cased, without a trailing `:`; the
/// tag is `container_metadata.tag.name` (empty for the per-platform child
/// manifests of a multi-arch push: ignored). The digest is the first valid one
/// of `container_metadata.tag.digest` and `package_version.name`. Delivery id:
/// `X-GitHub-Delivery`. Recognized by `X-GitHub-Event`, or by a `package` /
/// `registry_package` object (a `zen` and `hook_id` for a ping). A hook with
/// the content type `application/x-www-form-urlencoded` sends the same JSON
/// in the form field `payload`.
class GitHubParser : public PayloadParser
{
public:
    std::string name() const override { return "github"; }

protected:
    bool matchesHeaders(const WebhookRequest& request) const override;
    bool readsFormPayload() const override { return true; }
    bool matchesBody(const JsonField& body) const override;
    ParseResult read(const WebhookRequest& request, const JsonField& body) const override;
};

} // namespace wiretap::events
