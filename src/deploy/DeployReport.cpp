#include "deploy/DeployReport.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Array.h>

namespace wiretap::deploy
{
namespace
{
std::string isoTime(const Poco::Timestamp& time)
{
    return Poco::DateTimeFormatter::format(time, "%Y-%m-%dT%H:%M:%S.%iZ");
}
} // namespace

std::string toString(DeployReport::Result result)
{
    switch (result)
    {
    case DeployReport::Result::Updated:
        return "updated";
    case DeployReport::Result::UpToDate:
        return "up_to_date";
    case DeployReport::Result::NoMatch:
        return "no_match";
    case DeployReport::Result::RolledBack:
        return "rolled_back";
    case DeployReport::Result::Failed:
        return "failed";
    case DeployReport::Result::DryRun:
        return "dry_run";
    }
    return "unknown";
}

std::string toString(ContainerReport::Result result)
{
    switch (result)
    {
    case ContainerReport::Result::Updated:
        return "updated";
    case ContainerReport::Result::UpToDate:
        return "up_to_date";
    case ContainerReport::Result::Skipped:
        return "skipped";
    case ContainerReport::Result::RolledBack:
        return "rolled_back";
    case ContainerReport::Result::Failed:
        return "failed";
    }
    return "unknown";
}

std::string toString(ServiceReport::Result result)
{
    switch (result)
    {
    case ServiceReport::Result::Updated:
        return "updated";
    case ServiceReport::Result::UpToDate:
        return "up_to_date";
    case ServiceReport::Result::Skipped:
        return "skipped";
    case ServiceReport::Result::RolledBack:
        return "rolled_back";
    case ServiceReport::Result::Failed:
        return "failed";
    }
    return "unknown";
}

bool DeployReport::succeeded() const
{
    return result == Result::Updated || result == Result::UpToDate || result == Result::NoMatch ||
           result == Result::DryRun;
}

Poco::JSON::Object::Ptr DeployReport::toJson() const
{
    Poco::JSON::Object::Ptr json = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    json->set("id", id);
    json->set("image", image);
    if (!digest.empty())
        json->set("digest", digest);
    if (!newImageId.empty())
        json->set("imageId", newImageId);
    json->set("result", toString(result));
    if (!error.empty())
        json->set("error", error);
    json->set("startedAt", isoTime(startedAt));
    json->set("finishedAt", isoTime(finishedAt));
    json->set("seconds", static_cast<double>(finishedAt - startedAt) / 1e6);
    json->set("dockerCalls", dockerCalls);
    if (recovery)
        json->set("recovery", true);
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
    for (const auto& container : containers)
    {
        Poco::JSON::Object::Ptr entry = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        if (!container.host.empty())
            entry->set("host", container.host);
        entry->set("name", container.name);
        entry->set("oldId", container.oldId);
        if (!container.newId.empty())
            entry->set("newId", container.newId);
        entry->set("result", toString(container.result));
        if (!container.reason.empty())
            entry->set("reason", container.reason);
        Poco::JSON::Array::Ptr steps = new Poco::JSON::Array;
        for (const auto& step : container.steps)
        {
            Poco::JSON::Object::Ptr record = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
            record->set("step", step.step);
            record->set("startedAt", isoTime(step.startedAt));
            record->set("seconds", static_cast<double>(step.micros) / 1e6);
            if (!step.error.empty())
                record->set("error", step.error);
            steps->add(record);
        }
        entry->set("steps", steps);
        list->add(entry);
    }
    json->set("containers", list);
    Poco::JSON::Array::Ptr services = new Poco::JSON::Array;
    for (const auto& service : this->services)
    {
        Poco::JSON::Object::Ptr entry = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        if (!service.host.empty())
            entry->set("host", service.host);
        entry->set("name", service.name);
        entry->set("id", service.id);
        entry->set("oldImage", service.oldImage);
        if (!service.newImage.empty())
            entry->set("newImage", service.newImage);
        entry->set("result", toString(service.result));
        if (!service.reason.empty())
            entry->set("reason", service.reason);
        if (!service.rolledBackBy.empty())
            entry->set("rolledBackBy", service.rolledBackBy);
        entry->set("startedAt", isoTime(service.startedAt));
        entry->set("seconds", static_cast<double>(service.micros) / 1e6);
        services->add(entry);
    }
    json->set("services", services);
    Poco::JSON::Array::Ptr hostList = new Poco::JSON::Array;
    for (const auto& host : hosts)
    {
        Poco::JSON::Object::Ptr entry = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        entry->set("name", host.name);
        entry->set("result", toString(host.result));
        if (!host.error.empty())
            entry->set("error", host.error);
        if (!host.newImageId.empty())
            entry->set("imageId", host.newImageId);
        entry->set("dockerCalls", host.dockerCalls);
        hostList->add(entry);
    }
    json->set("hosts", hostList);
    return json;
}

} // namespace wiretap::deploy
