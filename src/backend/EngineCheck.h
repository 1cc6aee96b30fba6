#pragma once

#include "backend/BackendError.h"
#include "backend/ContainerBackend.h"

namespace wiretap::backend
{

/// The docker CLI cannot talk to the engine; the message says why and what to check.
class EngineUnreachableError : public BackendError
{
public:
    explicit EngineUnreachableError(const std::string& message);
};

/// Start-up check: asks the backend for the CLI's and the engine's versions. Throws
/// EngineUnreachableError (with docker's own words, e.g. "client version 1.52 is too new.
/// Maximum supported API version is 1.41") when the engine does not answer.
DockerVersions checkEngineReachable(ContainerBackend& backend);

} // namespace wiretap::backend
