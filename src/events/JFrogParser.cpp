#include "events/JFrogParser.h"
#include "events/EventCollector.h"
#include "events/Quote.h"

namespace wiretap::events
{
namespace
{
/// `host[:port]` of a URL like `https://example.jfrog.io` (or of a bare host).
std::string hostOf(const std::string& url)
{
    const auto scheme = url.find("://");
    std::string authority = scheme == std::string::npos ? url : url.substr(scheme + 3);
    authority = authority.substr(0, authority.find_first_of("/?#"));
    const auto at = authority.rfind('@');
    return at == std::string::npos ? authority : authority.substr(at + 1);
}

void readPush(const JsonField& body, EventCollector& collector)
{
    const JsonField data = body["data"];
    ImageEvent event;
    event.registry = hostOf(body["jpd_origin"].string());
    event.repository = data["repo_key"].string() + "/" + data["image_name"].string();
    event.tag = data["tag"].string();
    const std::string sha = data["sha256"].stringOr("");
    event.digest = sha.empty() ? "" : "sha256:" + sha;
    collector.accept("", std::move(event));
}
} // namespace

bool JFrogParser::matchesHeaders(const WebhookRequest& request) const
{
    return request.hasHeader("x-jfrog-event-auth");
}

bool JFrogParser::matchesBody(const JsonField& body) const
{
    return body["domain"].isString() && body["event_type"].isString() && body["data"].isObject();
}

ParseResult JFrogParser::read(const WebhookRequest& request, const JsonField& body) const
{
    const std::string domain = body["domain"].string();
    const std::string eventType = body["event_type"].string();
    body["data"].requireObject();

    EventCollector collector(name(), EventSource::JFrog, request);
    if (domain != "docker")
        collector.ignore("", "domain " + quote(domain) + ", not docker");
    else if (eventType != "pushed")
        collector.ignore("", "event_type " + quote(eventType) + ", not pushed");
    else
        collector.guard("", [&]() { readPush(body, collector); });
    return collector.take();
}

} // namespace wiretap::events
