#include "backend/EngineCheck.h"

#include "backend/DockerError.h"

namespace wiretap::backend
{

EngineUnreachableError::EngineUnreachableError(const std::string& message) : BackendError(message) {}

DockerVersions checkEngineReachable(ContainerBackend& backend)
{
    static const std::string advice =
        " (check docker.host / DOCKER_HOST, the TLS settings, that the engine runs, "
        "and that this docker CLI speaks an API version the engine accepts)";
    DockerVersions versions;
    try
    {
        versions = backend.versions();
    }
    catch (const DockerError& e)
    {
        const std::string why = e.stderrText().empty() ? std::string(e.what()) : e.stderrText();
        throw EngineUnreachableError("the docker CLI cannot talk to the engine: " + why + advice);
    }
    catch (const BackendError& e)
    {
        throw EngineUnreachableError(std::string("the docker CLI cannot talk to the engine: ") + e.what() +
                                     advice);
    }
    if (versions.serverVersion.empty())
        throw EngineUnreachableError("the docker CLI " + versions.clientVersion + " got no engine version" +
                                     advice);
    return versions;
}

} // namespace wiretap::backend
