#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

namespace wiretap::http
{

/// `GET /healthz`: 200 `{"status":"ok"}` while the server accepts requests.
class HealthHandler : public Poco::Net::HTTPRequestHandler
{
public:
    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override;
};

} // namespace wiretap::http
