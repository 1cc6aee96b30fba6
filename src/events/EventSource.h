#pragma once

#include <optional>
#include <string>

namespace wiretap::events
{

/// Which kind of sender an ImageEvent came from.
enum class EventSource
{
    DockerHub,
    Registry, ///< a CNCF distribution registry (also GitLab's and Harbor's embedded one)
    GitHub,
    Quay,
    Harbor,
    Acr,
    JFrog,
    Google,
    Generic
};

/// `dockerhub`, `registry`, `github`, `quay`, `harbor`, `acr`, `jfrog`, `google`, `generic`:
/// the parser names and the `<source>` of `/hooks/<source>`.
std::string toString(EventSource source);

/// The source named by toString(), if any.
std::optional<EventSource> eventSourceFromString(const std::string& name);

} // namespace wiretap::events
