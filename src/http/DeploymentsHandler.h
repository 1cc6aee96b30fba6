#pragma once

#include "deploy/DeploymentHistory.h"
#include "http/WebhookAuthenticator.h"

#include <Poco/Net/HTTPRequestHandler.h>

namespace wiretap::http
{

/// `GET /v1/deployments[?limit=N]` (token required, like the webhooks): recent
/// deploys, newest first, each with its containers and timed steps.
/// `GET /v1/deployments/<id>`: one of them.
class DeploymentsHandler : public Poco::Net::HTTPRequestHandler
{
public:
    DeploymentsHandler(const deploy::DeploymentHistory& history, const WebhookAuthenticator& authenticator)
        : _history(history), _authenticator(authenticator)
    {
    }

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override;

private:
    const deploy::DeploymentHistory& _history;
    const WebhookAuthenticator& _authenticator;
};

} // namespace wiretap::http
