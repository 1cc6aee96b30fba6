#include "http/ErrorHandler.h"

#include "http/JsonResponse.h"
#include "log/LogFields.h"

#include <Poco/Logger.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/NumberFormatter.h>

namespace wiretap::http
{

ErrorHandler::ErrorHandler(Poco::Net::HTTPResponse::HTTPStatus status, std::string reason, std::string allow)
    : _status(status), _reason(std::move(reason)), _allow(std::move(allow))
{
}

void ErrorHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                                 Poco::Net::HTTPServerResponse& response)
{
    log::warning(Poco::Logger::get("wiretap.http"), "Invalid Request",
                 {{"Status", Poco::NumberFormatter::format(static_cast<int>(_status))},
                  {"Reason", _reason},
                  {"Method", request.getMethod()},
                  {"Remote", request.clientAddress().toString()}});
    if (!_allow.empty())
        response.set("Allow", _allow);
    // The body (if any) was not read: close rather than parse it as the next request.
    response.setKeepAlive(false);
    sendError(response, _status, _reason);
}

} // namespace wiretap::http
