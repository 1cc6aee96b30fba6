#pragma once

#include "events/PayloadParser.h"

namespace wiretap::events
{

/// Docker Hub: `repository.repo_name` and `push_data.tag` (default `latest`)
/// on `docker.io`, without a digest; `callback_url` (an http(s) URL of at most
/// 2048 characters, else ignored) is kept in the event for
/// a completion notice. One image per request, so an invalid or missing name
/// or tag is a PayloadError. Recognized by `push_data` and `repository` objects.
class DockerHubParser : public PayloadParser
{
public:
    std::string name() const override { return "dockerhub"; }

protected:
    bool matchesBody(const JsonField& body) const override;
    ParseResult read(const WebhookRequest& request, const JsonField& body) const override;
};

} // namespace wiretap::events
