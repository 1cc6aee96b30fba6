#include "backend/RunCommand.h"

#include "backend/CreateArgsBuilder.h"
#include "backend/ShellQuote.h"
#include "backend/SpecLoader.h"

namespace wiretap::backend
{

std::string renderRunCommand(const ContainerSpec& spec, const std::string& docker)
{
    std::string line =
        shellQuote(docker) + " " + shellJoin(CreateArgsBuilder::runArgs(spec, spec.image, spec.name));
    for (const auto& endpoint : CreateArgsBuilder::laterNetworks(spec))
        line += " && " + shellQuote(docker) + " " +
                shellJoin(CreateArgsBuilder::networkConnectArgs(endpoint, spec.name));
    return line;
}

int printRunCommand(ContainerBackend& backend, const std::string& container, std::ostream& out)
{
    out << renderRunCommand(loadContainerSpec(backend, container)) << '\n';
    out.flush();
    return 0;
}

} // namespace wiretap::backend
