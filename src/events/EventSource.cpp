#include "events/EventSource.h"

#include <array>
#include <utility>

namespace wiretap::events
{
namespace
{
const std::array<std::pair<EventSource, const char*>, 9> kNames = {{
    {EventSource::DockerHub, "dockerhub"},
    {EventSource::Registry, "registry"},
    {EventSource::GitHub, "github"},
    {EventSource::Quay, "quay"},
    {EventSource::Harbor, "harbor"},
    {EventSource::Acr, "acr"},
    {EventSource::JFrog, "jfrog"},
    {EventSource::Google, "google"},
    {EventSource::Generic, "generic"},
}};
} // namespace

std::string toString(EventSource source)
{
    for (const auto& [value, name] : kNames)
    {
        if (value == source)
            return name;
    }
    return "unknown";
}

std::optional<EventSource> eventSourceFromString(const std::string& name)
{
    for (const auto& [value, text] : kNames)
    {
        if (name == text)
            return value;
    }
    return std::nullopt;
}

} // namespace wiretap::events
