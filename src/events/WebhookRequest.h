#pragma once

#include <Poco/JSON/Object.h>
#include <Poco/Timestamp.h>

#include <map>
#include <string>

namespace wiretap::events
{

/// What the parsers see of an HTTP request: headers (names lower-cased), the
/// raw body, the query parameters and when it arrived. No HTTP types, so the
/// parsers are tested without a server.
class WebhookRequest
{
public:
    using Headers = std::map<std::string, std::string>;
    using Query = std::map<std::string, std::string>;

    static constexpr std::size_t kMaxJsonDepth = 64;

    /// Header names may come in any case; they are lower-cased here.
    WebhookRequest(const Headers& headers, std::string body, Query query = {},
                   Poco::Timestamp receivedAt = Poco::Timestamp());

    /// The header's value, `name` in any case; empty when absent.
    std::string header(const std::string& name) const;
    bool hasHeader(const std::string& name) const;
    const Headers& headers() const { return _headers; }
    /// Content-Type without parameters, lower-cased: `application/json`.
    std::string mediaType() const;
    /// Whether the Content-Type is `application/x-www-form-urlencoded`.
    bool isFormEncoded() const;
    const std::string& body() const { return _body; }
    /// The query parameter's value; empty when absent.
    std::string queryParameter(const std::string& name) const;
    const Query& query() const { return _query; }
    const Poco::Timestamp& receivedAt() const { return _receivedAt; }

    /// The body as a JSON object, parsed on first use and kept. Throws
    /// PayloadError when the body is empty, not JSON, nested deeper than
    /// kMaxJsonDepth or not an object. Not thread-safe (one request, one thread).
    Poco::JSON::Object::Ptr json() const;
    /// The JSON object in the form field `payload` of a form-encoded body
    /// (GitHub's `application/x-www-form-urlencoded` deliveries), parsed on
    /// each call. Throws PayloadError for a bad form, and as json() does.
    Poco::JSON::Object::Ptr formPayloadJson() const;

private:
    /// `text` as a JSON object; `what` names it in the errors (`body`).
    static Poco::JSON::Object::Ptr parseJsonObject(const std::string& text, const std::string& what);

    Headers _headers;
    std::string _body;
    Query _query;
    Poco::Timestamp _receivedAt;
    mutable Poco::JSON::Object::Ptr _json;
    mutable std::string _jsonError;
};

} // namespace wiretap::events
