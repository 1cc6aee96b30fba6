#include "notify/NotificationBodies.h"

#include <Poco/NumberFormatter.h>

namespace wiretap::notify
{
namespace
{
std::string truncated(const std::string& text, std::size_t max)
{
    if (text.size() <= max)
        return text;
    std::string cut = text.substr(0, max - 3);
    while (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0xC0) == 0x80)
        cut.pop_back(); // never split a UTF-8 sequence
    if (!cut.empty() && static_cast<unsigned char>(cut.back()) >= 0xC0)
        cut.pop_back();
    return cut + "...";
}
} // namespace

std::string summaryText(const deploy::DeployReport& report)
{
    std::string names;
    for (const auto& container : report.containers)
        if (container.result != deploy::ContainerReport::Result::Skipped)
            names += (names.empty() ? "" : ", ") + container.name + " " + deploy::toString(container.result);
    for (const auto& service : report.services)
        if (service.result != deploy::ServiceReport::Result::Skipped)
            names += (names.empty() ? "" : ", ") + std::string("service ") + service.name + " " +
                     deploy::toString(service.result) +
                     (service.rolledBackBy.empty() ? "" : " by " + service.rolledBackBy);
    std::string text = "wiretap: " + report.image + " " + deploy::toString(report.result);
    if (!names.empty())
        text += " (" + names + ")";
    text +=
        " in " +
        Poco::NumberFormatter::format(static_cast<double>(report.finishedAt - report.startedAt) / 1e6, 1) +
        " s";
    if (!report.error.empty())
        text += ": " + report.error;
    else
        for (const auto& container : report.containers)
            if (container.result == deploy::ContainerReport::Result::RolledBack ||
                container.result == deploy::ContainerReport::Result::Failed)
            {
                return text + ": " + container.reason;
            }
    if (report.error.empty())
        for (const auto& service : report.services)
            if (service.result == deploy::ServiceReport::Result::RolledBack ||
                service.result == deploy::ServiceReport::Result::Failed)
                return text + ": " + service.reason;
    return text;
}

Poco::JSON::Object::Ptr dockerHubCallback(const deploy::DeployReport& report, const std::string& targetUrl)
{
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    body->set("state", report.succeeded() ? "success" : "failure");
    body->set("description", truncated(summaryText(report), 255));
    body->set("context", "wiretap");
    if (!targetUrl.empty())
        body->set("target_url", targetUrl);
    return body;
}

Poco::JSON::Object::Ptr deploySummary(const deploy::DeployReport& report)
{
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    body->set("text", summaryText(report));
    body->set("deployment", report.toJson());
    return body;
}

} // namespace wiretap::notify
