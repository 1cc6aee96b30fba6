#pragma once

#include "http/WebhookIntake.h"

#include <Poco/Net/HTTPRequestHandler.h>

#include <string>

namespace wiretap::http
{

/// `POST /listen` (source empty: detected) and `POST /hooks/<source>`: reads
/// the body within its limits and hands it to the WebhookIntake.
class WebhookHandler : public Poco::Net::HTTPRequestHandler
{
public:
    WebhookHandler(WebhookIntake& intake, std::string source) : _intake(intake), _source(std::move(source)) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override;

private:
    WebhookIntake& _intake;
    std::string _source;
};

} // namespace wiretap::http
