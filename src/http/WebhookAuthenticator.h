#pragma once

#include <map>
#include <string>

namespace wiretap::http
{

/// Decides whether a webhook request may be acted on. Each source's secret is
/// the shared token unless a per-source token overrides it. Credentials are
/// read from `?token=`, `Authorization: Bearer <t>`, `Authorization: <t>`
/// (Harbor), `X-Gitlab-Token`, GitHub's `X-Hub-Signature-256` and JFrog's
/// `X-JFrog-Event-Auth` (the secret, or the hex HMAC-SHA256 of the body). A
/// request passes when it presents at least one valid credential and no
/// invalid one. Secrets never appear in a result's reason.
class WebhookAuthenticator
{
public:
    struct Result
    {
        bool accepted = false;
        std::string reason; ///< why not (or "no token configured" when open)
    };

    WebhookAuthenticator(std::string sharedToken, std::map<std::string, std::string> sourceTokens,
                         bool allowUnauthenticated);

    /// `headers` have lower-case names. `queryToken` is empty when absent.
    Result authenticate(const std::string& source, const std::map<std::string, std::string>& headers,
                        const std::string& queryToken, const std::string& body) const;

    /// The secret used for `source` (empty when none is configured).
    const std::string& secretFor(const std::string& source) const;

private:
    std::string _sharedToken;
    std::map<std::string, std::string> _sourceTokens;
    bool _allowUnauthenticated;
};

} // namespace wiretap::http
