#pragma once

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <string>

namespace wiretap::http
{

/// Sends `body` as the whole response, with a Content-Length and
/// `Content-Type: application/json`.
void sendJson(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
              const Poco::JSON::Object& body);

/// Sends `{"error": message}` with the given status.
void sendError(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
               const std::string& message);

} // namespace wiretap::http
