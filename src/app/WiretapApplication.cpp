#include "app/WiretapApplication.h"

#include "Version.h"
#include "app/TerminationSignals.h"
#include "config/ConfigError.h"
#include "config/ServerSettings.h"
#include "http/HealthHandler.h"
#include "http/MeteredHandler.h"
#include "http/MetricsHandler.h"
#include "http/RequestRouter.h"
#include "log/LogFields.h"
#include "log/LogSetup.h"

#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/NumberFormatter.h>
#include <Poco/Thread.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timestamp.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionException.h>

#include <iostream>

#include <unistd.h>

namespace wiretap::app
{

using Poco::Util::Option;
using Poco::Util::OptionCallback;

WiretapApplication::WiretapApplication()
{
    setUnixOptions(true);
    http::MeteredHandler::describe(_metrics);
}

void WiretapApplication::defineOptions(Poco::Util::OptionSet& options)
{
    ServerApplication::defineOptions(options);

    options.addOption(
        Option("help", "h", "Print this help and exit.")
            .required(false)
            .repeatable(false)
            .callback(OptionCallback<WiretapApplication>(this, &WiretapApplication::handleHelp)));
    options.addOption(
        Option("version", "", "Print the version and exit.")
            .required(false)
            .repeatable(false)
            .callback(OptionCallback<WiretapApplication>(this, &WiretapApplication::handleVersion)));
    options.addOption(
        Option("config", "c", "Load the configuration from FILE (.properties, .ini or .xml).")
            .required(false)
            .repeatable(false)
            .argument("FILE")
            .callback(OptionCallback<WiretapApplication>(this, &WiretapApplication::handleConfig)));
    options.addOption(Option("port", "p", "Listen on port N (http.port, default 8000).")
                          .required(false)
                          .repeatable(false)
                          .argument("N")
                          .binding("http.port"));
    options.addOption(
        Option("set", "", "Set a configuration key, overriding file and environment.")
            .required(false)
            .repeatable(true)
            .argument("KEY=VALUE")
            .callback(OptionCallback<WiretapApplication>(this, &WiretapApplication::handleSet)));
    options.addOption(
        Option("define", "D", "Same as --set.")
            .required(false)
            .repeatable(true)
            .argument("KEY=VALUE")
            .callback(OptionCallback<WiretapApplication>(this, &WiretapApplication::handleSet)));
}

void WiretapApplication::handleHelp(const std::string&, const std::string&)
{
    Poco::Util::HelpFormatter help(options());
    help.setUnixStyle(true);
    help.setCommand(commandName());
    help.setUsage("[OPTIONS]");
    help.setHeader("wiretap: redeploys the containers running an image when a registry says it was pushed.");
    help.setFooter("Webhooks: POST /listen?token=SECRET. Health: GET /healthz.");
    help.format(std::cout);
    _exitRequested = true;
    stopOptionsProcessing();
}

void WiretapApplication::handleVersion(const std::string&, const std::string&)
{
    std::cout << "wiretap " << kVersion << '\n';
    _exitRequested = true;
    stopOptionsProcessing();
}

void WiretapApplication::handleConfig(const std::string&, const std::string& value)
{
    _configPath = value;
}

void WiretapApplication::handleSet(const std::string& name, const std::string& value)
{
    const auto pos = value.find('=');
    if (pos == 0 || pos == std::string::npos)
        throw Poco::Util::InvalidArgumentException("--" + name + " expects KEY=VALUE, got '" + value + "'");
    config().setString(value.substr(0, pos), value.substr(pos + 1));
}

void WiretapApplication::initialize(Poco::Util::Application& self)
{
    if (!_exitRequested && !_configPath.empty())
    {
        try
        {
            loadConfiguration(_configPath);
        }
        catch (const Poco::Exception& exc)
        {
            _startupExitCode = EXIT_CONFIG;
            _startupError = "cannot load configuration file " + _configPath + ": " + exc.displayText();
        }
    }
    ServerApplication::initialize(self);
    try
    {
        log::configureDefaultLogging(config());
    }
    catch (const config::ConfigError& exc)
    {
        if (_startupError.empty())
        {
            _startupExitCode = EXIT_CONFIG;
            _startupError = exc.what();
        }
    }
}

void WiretapApplication::uninitialize()
{
    ServerApplication::uninitialize();
}

void WiretapApplication::failStartup(int exitCode, const std::string& message)
{
    log::error(Poco::Logger::get("wiretap"), message);
    _startupExitCode = exitCode;
}

int WiretapApplication::main(const std::vector<std::string>& args)
{
    releaseInChildProcesses();
    if (_exitRequested)
        return EXIT_OK;
    if (!_startupError.empty())
    {
        failStartup(_startupExitCode, _startupError);
        return _startupExitCode;
    }
    if (!args.empty())
    {
        failStartup(EXIT_USAGE, "unexpected argument '" + args.front() + "' (see --help)");
        return EXIT_USAGE;
    }
    try
    {
        return serve();
    }
    catch (const config::ConfigError& exc)
    {
        failStartup(EXIT_CONFIG, exc.what());
        return EXIT_CONFIG;
    }
}

int WiretapApplication::serve()
{
    auto& logger = Poco::Logger::get("wiretap");
    const auto settings = config::ServerSettings::fromConfig(config());
    const std::string listenAddress = settings.address + ":" + Poco::NumberFormatter::format(settings.port);

    Poco::Net::ServerSocket socket;
    try
    {
        socket.bind(Poco::Net::SocketAddress(settings.address, settings.port), true, false);
        socket.listen(128);
    }
    catch (const Poco::Exception& exc)
    {
        failStartup(EXIT_UNAVAILABLE, "cannot listen on " + listenAddress + ": " + exc.displayText() +
                                          " (is another wiretap already running? set http.port or --port)");
        return EXIT_UNAVAILABLE;
    }

    auto params = Poco::AutoPtr<Poco::Net::HTTPServerParams>(new Poco::Net::HTTPServerParams);
    params->setServerName("wiretap");
    params->setSoftwareVersion(std::string("wiretap/") + kVersion);
    params->setMaxThreads(settings.maxThreads);
    params->setMaxQueued(settings.maxQueued);
    params->setTimeout(settings.requestTimeout);
    params->setKeepAlive(settings.maxKeepAliveRequests > 0);
    params->setKeepAliveTimeout(settings.keepAliveTimeout);
    params->setMaxKeepAliveRequests(settings.maxKeepAliveRequests);

    auto* router = new http::RequestRouter(&_metrics);
    router->add("GET", "/healthz", [](const auto&) { return new http::HealthHandler; });
    router->add("GET", "/metrics", [this](const auto&) { return new http::MetricsHandler(_metrics); });

    Poco::ThreadPool threads("http", 2, settings.maxThreads);
    Poco::Net::HTTPServer server(router, threads, socket, params);
    server.start();
    log::info(logger, "Listening for webhooks",
              {{"Address", listenAddress},
               {"Version", kVersion},
               {"Pid", Poco::NumberFormatter::format(static_cast<long>(::getpid()))}});

    waitForTerminationRequest();

    log::info(logger, "Shutting down",
              {{"InFlight", Poco::NumberFormatter::format(server.currentConnections())}});
    server.stopAll(false);
    const Poco::Timestamp stopping;
    while (server.currentConnections() > 0 &&
           !stopping.isElapsed(settings.shutdownTimeout.totalMicroseconds()))
        Poco::Thread::sleep(20);
    if (server.currentConnections() > 0)
    {
        log::warning(logger, "Shutdown timeout reached, closing connections",
                     {{"Connections", Poco::NumberFormatter::format(server.currentConnections())}});
        server.stopAll(true);
    }
    threads.joinAll();
    log::info(logger, "Stopped");
    return EXIT_OK;
}

} // namespace wiretap::app
