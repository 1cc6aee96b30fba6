#pragma once

#include "config/IntakeSettings.h"
#include "deploy/DeployQueue.h"
#include "events/PayloadParsers.h"
#include "http/RecentDeliveries.h"
#include "http/WebhookAuthenticator.h"
#include "metrics/Metrics.h"

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPResponse.h>

#include <atomic>
#include <string>

namespace wiretap::http
{

/// The webhook path from an HTTP request to queued deploys: find the format,
/// authenticate, parse, drop repeated deliveries, queue. It does no deploy
/// work itself, so it answers well within a sender's timeout.
class WebhookIntake
{
public:
    struct Answer
    {
        Poco::Net::HTTPResponse::HTTPStatus status = Poco::Net::HTTPResponse::HTTP_OK;
        Poco::JSON::Object::Ptr body;
    };

    WebhookIntake(const config::IntakeSettings& settings, deploy::DeployQueue& queue,
                  metrics::Metrics& metrics);

    /// `source` is empty for `POST /listen` (the format is detected), else the
    /// `<source>` of `/hooks/<source>`. `remote` is only logged.
    Answer handle(const std::string& source, const events::WebhookRequest& request,
                  const std::string& remote);

    /// An answer refusing the request before it could be read (413, 408, ...);
    /// logged as the original logged every refusal.
    Answer refuse(Poco::Net::HTTPResponse::HTTPStatus status, const std::string& reason,
                  const std::string& remote);

    const config::IntakeSettings& settings() const { return _settings; }

    static void describe(metrics::Metrics& metrics);

private:
    Answer accept(const events::ParseResult& result, const std::string& remote);
    std::string newRequestId();

    config::IntakeSettings _settings;
    events::PayloadParsers _parsers;
    WebhookAuthenticator _authenticator;
    RecentDeliveries _deliveries;
    deploy::DeployQueue& _queue;
    metrics::Metrics& _metrics;
    std::atomic<std::uint64_t> _requests{0};
};

} // namespace wiretap::http
