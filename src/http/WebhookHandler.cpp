#include "http/WebhookHandler.h"

#include "http/BodyReader.h"
#include "http/JsonResponse.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/String.h>
#include <Poco/URI.h>

namespace wiretap::http
{

void WebhookHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                                   Poco::Net::HTTPServerResponse& response)
{
    using Status = Poco::Net::HTTPResponse::HTTPStatus;
    const std::string remote = request.clientAddress().toString();
    const Poco::Timestamp receivedAt;

    WebhookIntake::Answer answer;
    try
    {
        events::WebhookRequest::Query query;
        for (const auto& [name, value] : Poco::URI(request.getURI()).getQueryParameters())
            query[name] = value;
        events::WebhookRequest::Headers headers;
        for (const auto& [name, value] : request)
            headers[Poco::toLower(name)] = value;
        std::string body = readBody(request, _intake.settings().maxBodyBytes, _intake.settings().bodyTimeout);
        answer = _intake.handle(_source, events::WebhookRequest(headers, std::move(body), query, receivedAt),
                                remote);
    }
    catch (const BodyTooLarge& exc)
    {
        answer = _intake.refuse(Status::HTTP_REQUEST_ENTITY_TOO_LARGE, exc.what(), remote);
        // Let a client that writes its whole body before reading see the 413:
        // drop up to 16 times the limit (at most 2 s), then close.
        discardBody(request, 16 * _intake.settings().maxBodyBytes, Poco::Timespan(2, 0));
        response.setKeepAlive(false);
    }
    catch (const BodyTimeout& exc)
    {
        answer = _intake.refuse(Status::HTTP_REQUEST_TIMEOUT, exc.what(), remote);
        response.setKeepAlive(false);
    }
    catch (const Poco::SyntaxException& exc)
    {
        answer = _intake.refuse(Status::HTTP_BAD_REQUEST, "malformed request URI: " + exc.message(), remote);
    }
    catch (const Poco::Exception& exc)
    {
        // A client that went away or stalled mid-body: nothing to answer.
        answer = _intake.refuse(Status::HTTP_BAD_REQUEST, "request could not be read: " + exc.displayText(),
                                remote);
        response.setKeepAlive(false);
    }
    sendJson(response, answer.status, *answer.body);
}

} // namespace wiretap::http
