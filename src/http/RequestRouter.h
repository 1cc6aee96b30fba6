#pragma once

#include "metrics/Metrics.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerRequest.h>

#include <functional>
#include <string>
#include <vector>

namespace wiretap::http
{

/// Maps (method, path) to handlers. Never returns nullptr (POCO would answer
/// a bare 501): unknown paths get a JSON 404, known paths with another method
/// a JSON 405 with `Allow`. A GET route also answers HEAD. With metrics,
/// every answer is counted by route (the route's path or prefix, or
/// "unmatched"), method and status.
class RequestRouter : public Poco::Net::HTTPRequestHandlerFactory
{
public:
    explicit RequestRouter(metrics::Metrics* metrics = nullptr) : _metrics(metrics) {}

    using HandlerMaker = std::function<Poco::Net::HTTPRequestHandler*(const Poco::Net::HTTPServerRequest&)>;

    /// Routes requests whose path equals `path`.
    void add(const std::string& method, const std::string& path, HandlerMaker maker);
    /// Routes requests whose path starts with `prefix` (e.g. "/hooks/").
    void addPrefix(const std::string& method, const std::string& prefix, HandlerMaker maker);

    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;

private:
    struct Route
    {
        std::string method;
        std::string path;
        bool prefix;
        HandlerMaker maker;
    };

    bool matches(const Route& route, const std::string& path) const;
    Poco::Net::HTTPRequestHandler* metered(Poco::Net::HTTPRequestHandler* handler,
                                           const std::string& route) const;

    metrics::Metrics* _metrics;
    std::vector<Route> _routes;
};

} // namespace wiretap::http
