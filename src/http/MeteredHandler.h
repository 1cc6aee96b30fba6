#pragma once

#include "metrics/Metrics.h"

#include <Poco/Net/HTTPRequestHandler.h>

#include <memory>
#include <string>

namespace wiretap::http
{

/// Runs another handler, then counts the request in
/// `wiretap_http_requests_total{route,method,status}`.
class MeteredHandler : public Poco::Net::HTTPRequestHandler
{
public:
    MeteredHandler(Poco::Net::HTTPRequestHandler* inner, metrics::Metrics& metrics, std::string route);

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override;

    static void describe(metrics::Metrics& metrics);

private:
    std::unique_ptr<Poco::Net::HTTPRequestHandler> _inner;
    metrics::Metrics& _metrics;
    std::string _route;
};

} // namespace wiretap::http
