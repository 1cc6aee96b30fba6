#include "http/DeploymentsHandler.h"

#include "http/JsonResponse.h"
#include "log/LogFields.h"

#include <Poco/JSON/Array.h>
#include <Poco/Logger.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/URI.h>

namespace wiretap::http
{

void DeploymentsHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                                       Poco::Net::HTTPServerResponse& response)
{
    using Status = Poco::Net::HTTPResponse::HTTPStatus;
    const Poco::URI uri(request.getURI());
    std::map<std::string, std::string> query;
    for (const auto& [name, value] : uri.getQueryParameters())
        query[name] = value;
    std::map<std::string, std::string> headers;
    for (const auto& [name, value] : request)
        headers[Poco::toLower(name)] = value;

    const auto auth = _authenticator.authenticate("api", headers, query["token"], "");
    if (!auth.accepted)
    {
        log::warning(
            Poco::Logger::get("wiretap.http"), "Invalid Request",
            {{"Status", "401"}, {"Reason", auth.reason}, {"Remote", request.clientAddress().toString()}});
        sendError(response, Status::HTTP_UNAUTHORIZED, auth.reason);
        return;
    }

    const std::string prefix = "/v1/deployments/";
    const std::string path = uri.getPath();
    if (path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0)
    {
        const auto report = _history.find(path.substr(prefix.size()));
        if (!report)
        {
            sendError(response, Status::HTTP_NOT_FOUND, "no deployment " + path.substr(prefix.size()));
            return;
        }
        sendJson(response, Status::HTTP_OK, *report);
        return;
    }

    unsigned limit = 50;
    if (query.count("limit") && (!Poco::NumberParser::tryParseUnsigned(query["limit"], limit) || limit == 0))
    {
        sendError(response, Status::HTTP_BAD_REQUEST, "limit must be a positive number");
        return;
    }
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
    for (const auto& report : _history.recent(limit))
        list->add(report);
    Poco::JSON::Object body;
    body.set("deployments", list);
    sendJson(response, Status::HTTP_OK, body);
}

} // namespace wiretap::http
