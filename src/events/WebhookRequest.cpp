#include "events/WebhookRequest.h"
#include "events/FormField.h"
#include "events/PayloadError.h"
#include "events/Quote.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>

namespace wiretap::events
{

WebhookRequest::WebhookRequest(const Headers& headers, std::string body, Query query,
                               Poco::Timestamp receivedAt)
    : _body(std::move(body)), _query(std::move(query)), _receivedAt(receivedAt)
{
    for (const auto& [name, value] : headers)
        _headers[Poco::toLower(name)] = value;
}

std::string WebhookRequest::header(const std::string& name) const
{
    const auto it = _headers.find(Poco::toLower(name));
    return it == _headers.end() ? std::string() : it->second;
}

bool WebhookRequest::hasHeader(const std::string& name) const
{
    return _headers.count(Poco::toLower(name)) > 0;
}

std::string WebhookRequest::mediaType() const
{
    const std::string value = header("content-type");
    return Poco::toLower(Poco::trim(value.substr(0, value.find(';'))));
}

bool WebhookRequest::isFormEncoded() const
{
    return mediaType() == "application/x-www-form-urlencoded";
}

std::string WebhookRequest::queryParameter(const std::string& name) const
{
    const auto it = _query.find(name);
    return it == _query.end() ? std::string() : it->second;
}

Poco::JSON::Object::Ptr WebhookRequest::json() const
{
    if (!_json && _jsonError.empty())
    {
        try
        {
            _json = parseJsonObject(_body, "body");
        }
        catch (const PayloadError& error)
        {
            _jsonError = error.what();
        }
    }
    if (!_json)
        throw PayloadError("", _jsonError);
    return _json;
}

Poco::JSON::Object::Ptr WebhookRequest::formPayloadJson() const
{
    return parseJsonObject(formField(_body, "payload"), "form field 'payload'");
}

Poco::JSON::Object::Ptr WebhookRequest::parseJsonObject(const std::string& text, const std::string& what)
{
    static const std::string kBom = "\xEF\xBB\xBF";
    std::string::size_type start = text.compare(0, kBom.size(), kBom) == 0 ? kBom.size() : 0;
    start = text.find_first_not_of(" \t\r\n", start);
    if (start == std::string::npos)
        throw PayloadError("", what + " is empty, expected a JSON object");
    if (text[start] == '[')
        throw PayloadError("", what + " is a JSON array, expected a JSON object");
    if (text[start] != '{')
        throw PayloadError("", what + " is not a JSON object");
    try
    {
        Poco::JSON::Parser parser;
        parser.setDepth(kMaxJsonDepth);
        const Poco::Dynamic::Var root = parser.parse(text.substr(start));
        if (root.type() != typeid(Poco::JSON::Object::Ptr))
            throw PayloadError("", what + " is not a JSON object");
        return root.extract<Poco::JSON::Object::Ptr>();
    }
    catch (const Poco::Exception& error)
    {
        const std::string detail = error.message().empty() ? error.displayText() : error.message();
        throw PayloadError("", what + " is not valid JSON: " + printable(detail, 200));
    }
}

} // namespace wiretap::events
