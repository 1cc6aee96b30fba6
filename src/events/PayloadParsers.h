#pragma once

#include "events/ParseResult.h"
#include "events/PayloadParser.h"
#include "events/WebhookRequest.h"

#include <memory>
#include <string>
#include <vector>

namespace wiretap::events
{

/// The known webhook formats and how a request finds its parser: by name for
/// `/hooks/<source>`, by detection for `/listen`.
class PayloadParsers
{
public:
    /// Every built-in parser, in detection order: github, registry, jfrog,
    /// harbor, google, quay, dockerhub, acr, generic.
    static PayloadParsers standard();

    void add(std::unique_ptr<PayloadParser> parser);

    /// The parser named `name` (any case), or nullptr.
    const PayloadParser* find(const std::string& name) const;
    /// The names, in detection order.
    std::vector<std::string> names() const;

    /// The parser for the request: the first whose headers match
    /// (`X-GitHub-Event`, a distribution content type, `X-JFrog-Event-Auth`),
    /// else the first whose body shape matches; nullptr when none does.
    /// Throws PayloadError when no header matched and the body is no JSON object
    /// (a form-encoded body is GitHub's only, found by its header).
    const PayloadParser* detect(const WebhookRequest& request) const;

    /// `POST /listen`: detect() then parse. Throws PayloadError when the body is
    /// no JSON object or matches no known format.
    ParseResult parse(const WebhookRequest& request) const;
    /// `POST /hooks/<source>`: parse with the parser named `source`. Throws
    /// UnknownSourceError for an unknown name, PayloadError for a bad body.
    ParseResult parseAs(const std::string& source, const WebhookRequest& request) const;

private:
    std::vector<std::unique_ptr<PayloadParser>> _parsers;
};

} // namespace wiretap::events
