#include "http/WebhookAuthenticator.h"

#include "http/Hmac.h"

#include <Poco/String.h>

#include <algorithm>
#include <vector>

namespace wiretap::http
{
namespace
{
/// header.payload.signature in base64url, the header starting `{"` (`eyJ`).
bool looksLikeJwt(const std::string& token)
{
    if (token.rfind("eyJ", 0) != 0 || std::count(token.begin(), token.end(), '.') != 2)
        return false;
    return token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") ==
           std::string::npos;
}

struct Credential
{
    std::string where;
    bool valid;
};

const std::string* header(const std::map<std::string, std::string>& headers, const std::string& name)
{
    const auto found = headers.find(name);
    return found == headers.end() ? nullptr : &found->second;
}
} // namespace

WebhookAuthenticator::WebhookAuthenticator(std::string sharedToken,
                                           std::map<std::string, std::string> sourceTokens,
                                           bool allowUnauthenticated)
    : _sharedToken(std::move(sharedToken)), _sourceTokens(std::move(sourceTokens)),
      _allowUnauthenticated(allowUnauthenticated)
{
}

const std::string& WebhookAuthenticator::secretFor(const std::string& source) const
{
    const auto found = _sourceTokens.find(source);
    if (found != _sourceTokens.end() && !found->second.empty())
        return found->second;
    return _sharedToken;
}

WebhookAuthenticator::Result
WebhookAuthenticator::authenticate(const std::string& source,
                                   const std::map<std::string, std::string>& headers,
                                   const std::string& queryToken, const std::string& body) const
{
    const std::string& secret = secretFor(source);
    if (secret.empty())
    {
        if (_allowUnauthenticated)
            return {true, "no token configured"};
        return {false, "no token is configured for source " + source};
    }

    std::vector<Credential> presented;
    if (!queryToken.empty())
        presented.push_back({"token query parameter", constantTimeEquals(queryToken, secret)});
    if (const auto* authorization = header(headers, "authorization"))
    {
        const std::string value = Poco::trim(*authorization);
        const bool bearer = Poco::icompare(value.substr(0, 7), "bearer ") == 0;
        const std::string token = bearer ? Poco::trim(value.substr(7)) : value;
        // A push subscription with authentication on (Google Pub/Sub) adds its own OIDC
        // token: a JWT is never wiretap's secret, so next to ?token= it is not a credential.
        if (!(bearer && !queryToken.empty() && looksLikeJwt(token)))
            presented.push_back({"Authorization header", constantTimeEquals(token, secret)});
    }
    if (const auto* gitlab = header(headers, "x-gitlab-token"))
        presented.push_back({"X-Gitlab-Token header", constantTimeEquals(Poco::trim(*gitlab), secret)});
    if (const auto* signature = header(headers, "x-hub-signature-256"))
    {
        const std::string value = Poco::toLower(Poco::trim(*signature));
        const std::string expected = "sha256=" + hmacSha256Hex(secret, body);
        presented.push_back({"X-Hub-Signature-256 header", constantTimeEquals(value, expected)});
    }
    if (const auto* jfrog = header(headers, "x-jfrog-event-auth"))
    {
        const std::string value = Poco::trim(*jfrog);
        const bool valid = constantTimeEquals(value, secret) ||
                           constantTimeEquals(Poco::toLower(value), hmacSha256Hex(secret, body));
        presented.push_back({"X-JFrog-Event-Auth header", valid});
    }

    if (presented.empty())
        return {false, "missing credentials (token query parameter, Authorization header or signature)"};
    for (const auto& credential : presented)
        if (!credential.valid)
            return {false, "invalid credentials in " + credential.where};
    return {true, {}};
}

} // namespace wiretap::http
