#pragma once

#include "events/JsonField.h"
#include "events/ParseResult.h"
#include "events/WebhookRequest.h"

#include <string>

namespace wiretap::events
{

/// One registry's webhook format, a pure function of the request.
///
/// What is an error (PayloadError, the sender gets a 400) and what is only
/// ignored (a reason in the ParseResult, the sender gets a 2xx):
/// - error: the body is no JSON object; it lacks the format's envelope
///   (`events`, `message`, `docker_url`, ...); a single-image format
///   (Docker Hub, generic) names an invalid image or misses its name;
/// - ignored: anything about one event, resource or tag (wrong action, no
///   tag, a field of the wrong type, an invalid reference), so one bad event
///   never costs the others, and senders that retry on errors (distribution,
///   Pub/Sub) are not stuck on it;
/// - kept: an event whose only fault is an invalid digest loses the digest,
///   with a reason (several vendor samples carry such digests).
///
/// The public calls never throw anything but PayloadError (and bad_alloc): a
/// subclass's unexpected exception is converted with context.
class PayloadParser
{
public:
    virtual ~PayloadParser() = default;

    /// The format's name, also the `<source>` of `/hooks/<source>`: `registry`, `github`, ...
    virtual std::string name() const = 0;

    /// Whether the headers alone identify the format (`X-GitHub-Event`, a
    /// distribution content type, ...). Never throws.
    bool recognizesHeaders(const WebhookRequest& request) const;
    /// Whether the body has the format's distinctive shape. Never throws.
    bool recognizesBody(const WebhookRequest& request) const;
    /// recognizesHeaders() or recognizesBody().
    bool recognizes(const WebhookRequest& request) const;

    /// The pushed images in the request and why the rest was ignored. Throws
    /// PayloadError when the body is no JSON object or lacks the format's
    /// envelope; problems inside single events become ignored reasons.
    ParseResult parse(const WebhookRequest& request) const;

protected:
    virtual bool matchesHeaders(const WebhookRequest& request) const;
    /// Whether a form-encoded body carries the JSON in its `payload` field
    /// (GitHub). Other formats read the body as JSON whatever its
    /// Content-Type: `curl --data` sends JSON labelled as a form.
    virtual bool readsFormPayload() const { return false; }
    virtual bool matchesBody(const JsonField& body) const = 0;
    virtual ParseResult read(const WebhookRequest& request, const JsonField& body) const = 0;
};

} // namespace wiretap::events
