#include "http/RequestRouter.h"

#include "http/ErrorHandler.h"
#include "http/MeteredHandler.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

namespace wiretap::http
{

void RequestRouter::add(const std::string& method, const std::string& path, HandlerMaker maker)
{
    _routes.push_back({method, path, false, std::move(maker)});
}

void RequestRouter::addPrefix(const std::string& method, const std::string& prefix, HandlerMaker maker)
{
    _routes.push_back({method, prefix, true, std::move(maker)});
}

bool RequestRouter::matches(const Route& route, const std::string& path) const
{
    if (route.prefix)
        return path.size() > route.path.size() && path.compare(0, route.path.size(), route.path) == 0;
    return path == route.path;
}

Poco::Net::HTTPRequestHandler* RequestRouter::metered(Poco::Net::HTTPRequestHandler* handler,
                                                      const std::string& route) const
{
    if (_metrics == nullptr)
        return handler;
    return new MeteredHandler(handler, *_metrics, route);
}

Poco::Net::HTTPRequestHandler*
RequestRouter::createRequestHandler(const Poco::Net::HTTPServerRequest& request)
{
    using Status = Poco::Net::HTTPResponse::HTTPStatus;
    std::string path;
    try
    {
        path = Poco::URI(request.getURI()).getPath();
    }
    catch (const Poco::SyntaxException&)
    {
        return metered(new ErrorHandler(Status::HTTP_BAD_REQUEST, "malformed request URI"), "unmatched");
    }

    const std::string& method = request.getMethod();
    std::string allow;
    for (const auto& route : _routes)
    {
        if (!matches(route, path))
            continue;
        if (route.method == method || (route.method == "GET" && method == "HEAD"))
            return metered(route.maker(request), route.path);
        if (allow.find(route.method) == std::string::npos)
        {
            allow += allow.empty() ? "" : ", ";
            allow += route.method;
            if (route.method == "GET")
                allow += ", HEAD";
        }
    }
    if (!allow.empty())
        return metered(new ErrorHandler(Status::HTTP_METHOD_NOT_ALLOWED,
                                        "method " + method + " not allowed on " + path, allow),
                       "unmatched");
    return metered(new ErrorHandler(Status::HTTP_NOT_FOUND, "no route for " + path), "unmatched");
}

} // namespace wiretap::http
