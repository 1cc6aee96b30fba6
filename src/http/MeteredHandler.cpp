#include "http/MeteredHandler.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

namespace wiretap::http
{

MeteredHandler::MeteredHandler(Poco::Net::HTTPRequestHandler* inner, metrics::Metrics& metrics,
                               std::string route)
    : _inner(inner), _metrics(metrics), _route(std::move(route))
{
}

void MeteredHandler::describe(metrics::Metrics& metrics)
{
    metrics.describe("wiretap_http_requests_total", metrics::Metrics::Type::Counter,
                     "HTTP requests answered, by route, method and status.");
}

void MeteredHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                                   Poco::Net::HTTPServerResponse& response)
{
    try
    {
        _inner->handleRequest(request, response);
    }
    catch (...)
    {
        _metrics.increment("wiretap_http_requests_total",
                           {{"route", _route}, {"method", request.getMethod()}, {"status", "500"}});
        throw;
    }
    _metrics.increment("wiretap_http_requests_total",
                       {{"route", _route},
                        {"method", request.getMethod()},
                        {"status", std::to_string(static_cast<int>(response.getStatus()))}});
}

} // namespace wiretap::http
