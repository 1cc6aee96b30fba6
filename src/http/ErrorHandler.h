#pragma once

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPResponse.h>

#include <string>

namespace wiretap::http
{

/// Answers a request the router could not route: a JSON error body, the
/// seed's `msg="Invalid Request"` log line, and `Allow` for a 405.
class ErrorHandler : public Poco::Net::HTTPRequestHandler
{
public:
    ErrorHandler(Poco::Net::HTTPResponse::HTTPStatus status, std::string reason, std::string allow = {});

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override;

private:
    Poco::Net::HTTPResponse::HTTPStatus _status;
    std::string _reason;
    std::string _allow;
};

} // namespace wiretap::http
