#include "http/MetricsHandler.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

namespace wiretap::http
{

void MetricsHandler::handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& response)
{
    const std::string text = _metrics.render();
    response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_OK);
    response.setContentType("text/plain; version=0.0.4; charset=utf-8");
    response.set("Cache-Control", "no-store");
    response.setContentLength(static_cast<std::streamsize>(text.size()));
    response.sendBuffer(text.data(), text.size());
}

} // namespace wiretap::http
