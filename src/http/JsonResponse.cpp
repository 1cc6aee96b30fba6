#include "http/JsonResponse.h"

#include <sstream>

namespace wiretap::http
{

void sendJson(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
              const Poco::JSON::Object& body)
{
    std::ostringstream text;
    body.stringify(text);
    text << '\n';
    const std::string payload = text.str();
    response.setStatusAndReason(status);
    response.setContentType("application/json");
    response.setContentLength(static_cast<std::streamsize>(payload.size()));
    response.sendBuffer(payload.data(), payload.size());
}

void sendError(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
               const std::string& message)
{
    Poco::JSON::Object body;
    body.set("error", message);
    sendJson(response, status, body);
}

} // namespace wiretap::http
