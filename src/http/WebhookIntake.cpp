#include "http/WebhookIntake.h"

#include "events/PayloadError.h"
#include "log/LogFields.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Array.h>
#include <Poco/Logger.h>
#include <Poco/NumberFormatter.h>
#include <Poco/Timestamp.h>

namespace wiretap::http
{
namespace
{
using Status = Poco::Net::HTTPResponse::HTTPStatus;

Poco::Logger& logger()
{
    return Poco::Logger::get("wiretap.http");
}

WebhookIntake::Answer error(Status status, const std::string& message)
{
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
    body->set("error", message);
    return {status, body};
}
} // namespace

WebhookIntake::WebhookIntake(const config::IntakeSettings& settings, deploy::DeployQueue& queue,
                             metrics::Metrics& metrics)
    : _settings(settings), _parsers(events::PayloadParsers::standard()),
      _authenticator(settings.token, settings.sourceTokens, settings.allowUnauthenticated),
      _deliveries(settings.rememberedDeliveries), _queue(queue), _metrics(metrics)
{
}

void WebhookIntake::describe(metrics::Metrics& metrics)
{
    metrics.describe(
        "wiretap_webhook_events_total", metrics::Metrics::Type::Counter,
        "Image events in webhooks, by source and outcome (accepted, merged, duplicate, ignored).");
    metrics.describe("wiretap_webhook_rejections_total", metrics::Metrics::Type::Counter,
                     "Webhook requests refused, by HTTP status.");
}

std::string WebhookIntake::newRequestId()
{
    return "r" + Poco::DateTimeFormatter::format(Poco::Timestamp(), "%Y%m%dT%H%M%S") + "-" +
           std::to_string(++_requests);
}

WebhookIntake::Answer WebhookIntake::refuse(Status status, const std::string& reason,
                                            const std::string& remote)
{
    log::warning(
        logger(), "Invalid Request",
        {{"Status", std::to_string(static_cast<int>(status))}, {"Reason", reason}, {"Remote", remote}});
    _metrics.increment("wiretap_webhook_rejections_total",
                       {{"status", std::to_string(static_cast<int>(status))}});
    return error(status, reason);
}

WebhookIntake::Answer WebhookIntake::handle(const std::string& source, const events::WebhookRequest& request,
                                            const std::string& remote)
{
    // Find the format first: its source decides which secret applies. A body
    // that matches nothing is still authenticated (against the shared token)
    // before it is called malformed, so strangers learn nothing but 401.
    const events::PayloadParser* parser = nullptr;
    std::string detectError;
    if (!source.empty())
    {
        parser = _parsers.find(source);
        if (parser == nullptr)
        {
            std::string known;
            for (const auto& name : _parsers.names())
                known += (known.empty() ? "" : ", ") + name;
            return refuse(Status::HTTP_NOT_FOUND,
                          "unknown webhook source '" + source + "' (known: " + known + ")", remote);
        }
    }
    else
    {
        try
        {
            parser = _parsers.detect(request);
            if (parser == nullptr)
                detectError = "the body matches no known webhook format";
        }
        catch (const events::PayloadError& exc)
        {
            detectError = exc.what();
        }
    }

    const std::string authSource = parser != nullptr ? parser->name() : "generic";
    const auto auth = _authenticator.authenticate(authSource, request.headers(),
                                                  request.queryParameter("token"), request.body());
    if (!auth.accepted)
        return refuse(Status::HTTP_UNAUTHORIZED, auth.reason, remote);
    if (parser == nullptr)
        return refuse(Status::HTTP_BAD_REQUEST, detectError, remote);

    try
    {
        return accept(parser->parse(request), remote);
    }
    catch (const events::PayloadError& exc)
    {
        return refuse(Status::HTTP_BAD_REQUEST, exc.what(), remote);
    }
}

WebhookIntake::Answer WebhookIntake::accept(const events::ParseResult& result, const std::string& remote)
{
    const std::string requestId = newRequestId();
    Poco::JSON::Array::Ptr accepted = new Poco::JSON::Array;
    Poco::JSON::Array::Ptr ignored = new Poco::JSON::Array;
    for (const auto& reason : result.ignored)
        ignored->add(reason);
    if (result.omitted > 0)
        ignored->add(std::to_string(result.omitted) + " more ignored");
    _metrics.increment("wiretap_webhook_events_total", {{"source", result.format}, {"outcome", "ignored"}},
                       static_cast<double>(result.ignored.size() + result.omitted));

    for (const auto& event : result.events)
    {
        const std::string image = event.reference().familiarName();
        if (!event.deliveryId.empty() &&
            !_deliveries.firstTime(result.format + "|" + event.deliveryId + "|" + deploy::deployKey(event)))
        {
            ignored->add(image + ":" + event.tag + ": delivery " + event.deliveryId +
                         " was already accepted");
            _metrics.increment("wiretap_webhook_events_total",
                               {{"source", result.format}, {"outcome", "duplicate"}});
            continue;
        }
        deploy::DeployQueue::Submission submission;
        try
        {
            submission = _queue.submit(event);
        }
        catch (const deploy::QueueFull& exc)
        {
            return refuse(Status::HTTP_SERVICE_UNAVAILABLE, exc.what(), remote);
        }
        Poco::JSON::Object::Ptr entry = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        entry->set("image", image);
        entry->set("tag", event.tag);
        if (!event.digest.empty())
            entry->set("digest", event.digest);
        entry->set("deploy", submission.deployId);
        accepted->add(entry);
        _metrics.increment(
            "wiretap_webhook_events_total",
            {{"source", result.format}, {"outcome", submission.merged ? "merged" : "accepted"}});
        log::info(logger(), "Webhook accepted",
                  {{"Source", result.format},
                   {"Image", image},
                   {"Tag", event.tag},
                   {"Deploy", submission.deployId},
                   {"Request", requestId},
                   {"Remote", remote}});
    }

    Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    if (accepted->size() > 0)
    {
        body->set("accepted", accepted);
        if (ignored->size() > 0)
            body->set("ignored", ignored);
        body->set("id", requestId);
        return {Status::HTTP_ACCEPTED, body};
    }
    log::info(logger(), "Webhook ignored",
              {{"Source", result.format},
               {"Reasons", ignored->size() > 0 ? ignored->getElement<std::string>(0) : "nothing to deploy"},
               {"Request", requestId},
               {"Remote", remote}});
    body->set("ignored", ignored);
    body->set("id", requestId);
    return {Status::HTTP_OK, body};
}

} // namespace wiretap::http
