#pragma once

#include "metrics/Metrics.h"

#include <Poco/Net/HTTPRequestHandler.h>

namespace wiretap::http
{

/// `GET /metrics`: every metric in Prometheus' text format.
class MetricsHandler : public Poco::Net::HTTPRequestHandler
{
public:
    explicit MetricsHandler(const metrics::Metrics& metrics) : _metrics(metrics) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override;

private:
    const metrics::Metrics& _metrics;
};

} // namespace wiretap::http
