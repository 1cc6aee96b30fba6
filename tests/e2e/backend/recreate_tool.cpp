// recreate_tool - drives the container backend (the real DockerCli) for the e2e tests.
//
//   recreate_tool recreate [--image=REF] [--stop-time=N] [--signal=SIG] [--no-start] CONTAINER
//       inspect the container and its image (by id), rename it aside, create the new one from
//       the spec on REF (default: its own Config.Image), stop the old one, connect the other
//       networks, start the new one (unless --no-start), remove the old one (keeping its volumes)
//   recreate_tool print-run CONTAINER     the `docker run` line (renderRunCommand)
//   recreate_tool create-args CONTAINER   the `docker create` argv, one word a line
//   recreate_tool check-engine            the start-up check (checkEngineReachable); prints versions
//
// The docker CLI, its host and TLS come from the environment, as in wiretap. A plain sequence on
// purpose: rollback and health gating belong to the deployer.
#include "backend/BackendError.h"
#include "backend/CreateArgsBuilder.h"
#include "backend/DockerCli.h"
#include "backend/EngineCheck.h"
#include "backend/RunCommand.h"
#include "backend/SpecLoader.h"
#include "config/ConfigError.h"
#include "config/DockerSettings.h"

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>

#include <iostream>

using namespace wiretap;

namespace
{

void recreate(backend::ContainerBackend& docker, const std::string& container, std::string image,
              int stopTime, bool start, const std::string& signal)
{
    const backend::ContainerSpec spec = backend::loadContainerSpec(docker, container);
    if (image.empty())
        image = spec.image;
    const std::string aside = spec.name + "-wiretap-old";
    docker.renameContainer(spec.id, aside);
    docker.createContainer(spec, image, spec.name);
    docker.stopContainer(spec.id, signal, stopTime);
    for (const auto& endpoint : backend::CreateArgsBuilder::laterNetworks(spec))
        docker.connectNetwork(spec.name, endpoint);
    if (start)
        docker.startContainer(spec.name);
    try
    {
        docker.removeContainer(spec.id, true, false);
    }
    catch (const backend::BackendError&)
    {
        if (!spec.autoRemove) // --rm: the engine removed it when it stopped
            throw;
    }
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    std::string image;
    int stopTime = -1;
    bool start = true;
    std::string signal;
    std::vector<std::string> words;
    for (const auto& arg : args)
    {
        if (arg.rfind("--image=", 0) == 0)
            image = arg.substr(8);
        else if (arg.rfind("--signal=", 0) == 0)
            signal = arg.substr(9);
        else if (arg == "--no-start")
            start = false;
        else if (arg.rfind("--stop-time=", 0) == 0)
            stopTime = std::stoi(arg.substr(12));
        else
            words.push_back(arg);
    }
    if (words.size() == 1 && words[0] == "check-engine")
        words.push_back("");
    if (words.size() != 2)
    {
        std::cerr << "usage: recreate_tool recreate|print-run|create-args|check-engine [--image=REF] "
                     "[--stop-time=N] "
                     "[--signal=SIG] [--no-start] [CONTAINER]\n";
        return 2;
    }
    try
    {
        Poco::AutoPtr<Poco::Util::MapConfiguration> config = new Poco::Util::MapConfiguration;
        const auto settings =
            config::DockerSettings::fromConfig(*config, config::DockerSettings::currentEnvironment());
        backend::ProcessRunner runner;
        backend::DockerCli docker(settings, runner);
        if (words[0] == "check-engine")
        {
            const auto versions = backend::checkEngineReachable(docker);
            std::cout << "client " << versions.clientVersion << " (API " << versions.clientApiVersion
                      << "), engine " << versions.serverVersion << " (API " << versions.serverApiVersion
                      << ")\n";
        }
        else if (words[0] == "recreate")
            recreate(docker, words[1], image, stopTime, start, signal);
        else if (words[0] == "print-run")
            return backend::printRunCommand(docker, words[1], std::cout);
        else if (words[0] == "create-args")
        {
            const auto spec = backend::loadContainerSpec(docker, words[1]);
            for (const auto& word :
                 backend::CreateArgsBuilder::createArgs(spec, image.empty() ? spec.image : image, spec.name))
                std::cout << word << '\n';
            for (const auto& endpoint : backend::CreateArgsBuilder::laterNetworks(spec))
            {
                std::cout << "--\n";
                for (const auto& word : backend::CreateArgsBuilder::networkConnectArgs(endpoint, spec.name))
                    std::cout << word << '\n';
            }
        }
        else
        {
            std::cerr << "unknown command " << words[0] << '\n';
            return 2;
        }
    }
    catch (const std::exception& e)
    {
        std::cerr << "recreate_tool: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
