#include "http/HealthHandler.h"

#include "http/JsonResponse.h"

#include <Poco/Net/HTTPServerRequest.h>

namespace wiretap::http
{

void HealthHandler::handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& response)
{
    Poco::JSON::Object body;
    body.set("status", "ok");
    response.set("Cache-Control", "no-store");
    sendJson(response, Poco::Net::HTTPResponse::HTTP_OK, body);
}

} // namespace wiretap::http
