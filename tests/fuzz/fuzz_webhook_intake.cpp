// libFuzzer target: the HTTP request path from a read request to the deploy
// queue (WebhookIntake: detect the format, authenticate, parse, drop repeated
// deliveries, queue). The queue's runner does nothing.
// Input: byte 0 picks the route, the credentials and the headers (bit 6: a form
// content type); the rest is
// the body. handle() must answer every request, never throw, and give every
// answer a JSON body.
#include "config/IntakeSettings.h"
#include "deploy/DeployQueue.h"
#include "deploy/DeployRequest.h"
#include "events/WebhookRequest.h"
#include "http/Hmac.h"
#include "http/WebhookIntake.h"
#include "metrics/Metrics.h"

#include <Poco/Logger.h>
#include <Poco/NullChannel.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

using wiretap::events::WebhookRequest;
using wiretap::http::WebhookIntake;

namespace
{
const std::string kToken = "s3cret";

struct Intake
{
    Intake()
    {
        Poco::Logger::setChannel("", new Poco::NullChannel);
        settings.token = kToken;
        settings.sourceTokens = {{"quay", "quay-secret"}};
        WebhookIntake::describe(metrics);
    }

    wiretap::config::IntakeSettings settings;
    wiretap::metrics::Metrics metrics;
    wiretap::deploy::DeployQueue queue{[](const wiretap::deploy::DeployRequest&) {}, 2, 100};
};

void require(bool condition)
{
    if (!condition)
        std::abort();
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static Intake shared;
    if (size == 0)
        return 0;
    const uint8_t selector = data[0];
    const std::string body(reinterpret_cast<const char*>(data + 1), size - 1);

    static const char* const sources[] = {"", "", "", "", "registry", "dockerhub", "github", "nosuch"};
    const std::string source = sources[selector & 7];
    WebhookRequest::Headers headers = {{"Content-Type", "application/json"}};
    WebhookRequest::Query query;
    switch ((selector >> 3) & 7)
    {
    case 0:
        query["token"] = kToken;
        break;
    case 1:
        headers["Authorization"] = "Bearer " + kToken;
        break;
    case 2:
        headers["X-GitHub-Event"] = "package";
        headers["X-Hub-Signature-256"] = "sha256=" + wiretap::http::hmacSha256Hex(kToken, body);
        break;
    case 3:
        headers["Content-Type"] = "application/vnd.docker.distribution.events.v1+json";
        headers["Authorization"] = "Bearer " + kToken;
        break;
    case 4:
        headers["X-JFrog-Event-Auth"] = kToken;
        break;
    case 5:
        query["token"] = "wrong";
        break;
    case 6:
        break;
    default:
        query["token"] = "quay-secret";
        break;
    }

    if (selector & 0x40) // GitHub's form encoding; also for other senders' credentials
        headers["Content-Type"] = "application/x-www-form-urlencoded";

    // A fresh intake per input (its remembered deliveries would make runs depend on earlier ones).
    WebhookIntake intake(shared.settings, shared.queue, shared.metrics);
    const auto answer = intake.handle(source, WebhookRequest(headers, body, query), "192.0.2.1:40000");
    require(!answer.body.isNull());
    const int status = static_cast<int>(answer.status);
    require(status == 200 || status == 202 || status == 400 || status == 401 || status == 404 ||
            status == 503);
    return 0;
}
