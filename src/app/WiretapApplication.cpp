#include "app/WiretapApplication.h"

#include "Version.h"
#include "app/DockerHosts.h"
#include "app/HangupListener.h"
#include "app/KnownSettings.h"
#include "app/StartupSettings.h"
#include "app/TerminationSignals.h"
#include "backend/DockerCli.h"
#include "backend/ProcessRunner.h"
#include "backend/RunCommand.h"
#include "config/ConfigError.h"
#include "config/DockerSettings.h"
#include "config/EffectiveConfiguration.h"
#include "deploy/DeployJournal.h"
#include "deploy/DeployMetrics.h"
#include "deploy/DeployQueue.h"
#include "deploy/DeployRequest.h"
#include "deploy/DeploymentHistory.h"
#include "deploy/HostFleet.h"
#include "deploy/JournalError.h"
#include "events/ImageReference.h"
#include "http/DeploymentsHandler.h"
#include "http/HealthHandler.h"
#include "http/MeteredHandler.h"
#include "http/MetricsHandler.h"
#include "http/RequestRouter.h"
#include "http/WebhookHandler.h"
#include "http/WebhookIntake.h"
#include "http/WebhookServer.h"
#include "log/LogFields.h"
#include "log/LogSetup.h"
#include "notify/CompletionNotifier.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/NumberFormatter.h>
#include <Poco/Process.h>
#include <Poco/Timestamp.h>
#include <Poco/URI.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionException.h>
#include <Poco/Util/OptionProcessor.h>

#include <iostream>
#include <memory>

#include <sys/socket.h>
#include <unistd.h>

namespace wiretap::app
{

using Poco::Util::Option;
using Poco::Util::OptionCallback;

WiretapApplication::WiretapApplication(std::map<std::string, std::string> environment)
    : _environment(std::move(environment)), _layers(config(), _environment)
{
    // Poco's Application constructor gave every logger a plain ConsoleChannel: errors in
    // the command line itself, reported before the configuration is read, are logrus lines too.
    log::logToConsole("text");
    setUnixOptions(true);
    http::MeteredHandler::describe(_metrics);
    http::WebhookServer::describe(_metrics);
    http::WebhookIntake::describe(_metrics);
    deploy::DeployMetrics::describe(_metrics);
    _metrics.describe("wiretap_docker_calls_total", metrics::Metrics::Type::Counter,
                      "docker CLI processes run, by verb and result (ok, error, timeout), and by host "
                      "when docker.hosts is set.");
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
    options.addOption(
        Option("port", "p", "Listen on port N (http.port, default 8000).")
            .required(false)
            .repeatable(false)
            .argument("N")
            .callback(OptionCallback<WiretapApplication>(this, &WiretapApplication::handlePort)));
    options.addOption(
        Option("check-config", "",
               "Validate the configuration, print every key with its effective value (secrets "
               "masked) and where it comes from, then exit (0: valid, 78: not). Needs no docker engine.")
            .required(false)
            .repeatable(false)
            .noArgument()
            .callback(OptionCallback<WiretapApplication>(this, &WiretapApplication::handleCheckConfig)));
    options.addOption(
        Option("print-run", "",
               "Print one shell-quoted `docker run` command that recreates CONTAINER (HOST/CONTAINER "
               "for a host of docker.hosts other than the first), then exit.")
            .required(false)
            .repeatable(false)
            .argument("CONTAINER")
            .callback(OptionCallback<WiretapApplication>(this, &WiretapApplication::handlePrintRun)));
    options.addOption(
        Option("redeploy", "",
               "Redeploy the containers running IMAGE[:TAG] now, without HTTP, then exit "
               "(0: updated, up to date or nothing to do; 1: failed or rolled back).")
            .required(false)
            .repeatable(false)
            .argument("IMAGE")
            .callback(OptionCallback<WiretapApplication>(this, &WiretapApplication::handleRedeploy)));
    options.addOption(
        Option("dry-run", "", "Plan and log deploys without changing anything (deploy.dryRun).")
            .required(false)
            .repeatable(false)
            .noArgument()
            .callback(OptionCallback<WiretapApplication>(this, &WiretapApplication::handleDryRun)));
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

void WiretapApplication::handleDryRun(const std::string&, const std::string&)
{
    _layers.setFromCommandLine("deploy.dryRun", "true");
}

void WiretapApplication::handlePort(const std::string&, const std::string& value)
{
    _layers.setFromCommandLine("http.port", value);
}

void WiretapApplication::handleCheckConfig(const std::string&, const std::string&)
{
    _checkConfig = true;
}

void WiretapApplication::handleRedeploy(const std::string&, const std::string& value)
{
    _redeployImage = value;
}

void WiretapApplication::handlePrintRun(const std::string&, const std::string& value)
{
    _printRunContainer = value;
}

void WiretapApplication::handleConfig(const std::string&, const std::string& value)
{
    _configPath = value;
}

namespace
{
/// The KEY and VALUE of `--set KEY=VALUE`; throws InvalidArgumentException naming the option.
std::pair<std::string, std::string> splitSetting(const std::string& option, const std::string& value)
{
    const auto pos = value.find('=');
    if (pos == 0 || pos == std::string::npos)
        throw Poco::Util::InvalidArgumentException("--" + option + " expects KEY=VALUE, got '" + value + "'");
    return {value.substr(0, pos), value.substr(pos + 1)};
}
} // namespace

void WiretapApplication::handleSet(const std::string& name, const std::string& value)
{
    const auto [key, setting] = splitSetting(name, value);
    _layers.setFromCommandLine(key, setting);
}

int WiretapApplication::checkOptions(int argc, char** argv)
{
    Poco::Util::OptionSet options;
    defineOptions(options); // the callbacks are not called here
    Poco::Util::OptionProcessor processor(options);
    processor.setUnixStyle(true);
    try
    {
        for (int i = 1; i < argc; ++i)
        {
            std::string name;
            std::string value;
            if (!processor.process(argv[i], name, value) || name.empty())
                continue;
            if (name == "help" || name == "version") // Poco stops reading options there too
                return EXIT_OK;
            if (name == "set" || name == "define")
                splitSetting(name, value);
        }
        processor.checkRequired();
    }
    catch (const Poco::Util::OptionException& exc)
    {
        _logging.reportError(exc.displayText() + " (see --help)");
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

void WiretapApplication::initialize(Poco::Util::Application& self)
{
    if (!_exitRequested && !_configPath.empty())
    {
        try
        {
            _layers.loadFile(_configPath);
        }
        catch (const Poco::Exception& exc)
        {
            _startupExitCode = EXIT_CONFIG;
            _startupError = "cannot load configuration file " + _configPath + ": " + exc.displayText();
        }
    }
    initializeLogging(self);
}

void WiretapApplication::initializeLogging(Poco::Util::Application& self)
{
    std::string pocoError;
    try
    {
        // Poco's LoggingSubsystem applies the logging.* keys here.
        ServerApplication::initialize(self);
    }
    catch (const Poco::Exception& exc)
    {
        pocoError = exc.displayText();
    }
    try
    {
        _logging.configure(config(), pocoError);
    }
    catch (const config::ConfigError& exc)
    {
        if (_startupError.empty())
        {
            _startupExitCode = EXIT_CONFIG;
            _startupError = describe(exc);
        }
    }
}

void WiretapApplication::uninitialize()
{
    ServerApplication::uninitialize();
}

void WiretapApplication::failStartup(int exitCode, const std::string& message)
{
    _logging.reportError(message);
    _startupExitCode = exitCode;
}

std::string WiretapApplication::describe(const config::ConfigError& error) const
{
    if (_layers.sourceOf(error.key()) == config::ConfigLayers::Source::Default)
        return error.what();
    return std::string(error.what()) + " (" + _layers.describeSource(error.key()) + ")";
}

void WiretapApplication::warnAboutUnknownKeys()
{
    const auto catalog = knownSettings(_environment);
    for (const auto& key : catalog.unknownAmong(_layers.explicitKeys()))
        log::warning(Poco::Logger::get("wiretap"), "Unknown configuration key, ignored",
                     {{"Key", key}, {"Source", _layers.describeSource(key)}});
}

config::DockerHostList WiretapApplication::dockerHosts() const
{
    return config::DockerHostList::fromConfig(config(), _environment, _layers.commandLineKeys());
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
    warnAboutUnknownKeys();
    try
    {
        if (_checkConfig)
            return checkConfig();
        if (!_printRunContainer.empty())
            return printRun();
        if (!_redeployImage.empty())
            return redeploy();
        return serve();
    }
    catch (const config::ConfigError& exc)
    {
        failStartup(EXIT_CONFIG, describe(exc));
        return EXIT_CONFIG;
    }
}

int WiretapApplication::checkConfig()
{
    StartupSettings::read(config(), _environment, _layers.commandLineKeys());
    std::cout << "# wiretap " << kVersion << ": the configuration is valid. Effective values:\n";
    config::printEffectiveConfiguration(std::cout, config(), _layers, knownSettings(_environment));
    return EXIT_OK;
}

int WiretapApplication::printRun()
{
    // --print-run=HOST/CONTAINER picks one of docker.hosts; the first by default.
    const DockerHosts docker(dockerHosts(), nullptr);
    const auto slash = _printRunContainer.find('/');
    const std::string host =
        slash == std::string::npos ? docker.list().hosts.front().name : _printRunContainer.substr(0, slash);
    auto* cli = docker.find(host);
    if (!cli)
    {
        failStartup(EXIT_USAGE, "--print-run: '" + host + "' is not a host in docker.hosts");
        return EXIT_USAGE;
    }
    try
    {
        return backend::printRunCommand(
            *cli, slash == std::string::npos ? _printRunContainer : _printRunContainer.substr(slash + 1),
            std::cout);
    }
    catch (const std::exception& exc)
    {
        failStartup(EXIT_SOFTWARE, std::string("cannot print a run command: ") + exc.what());
        return 1;
    }
}

int WiretapApplication::redeploy()
{
    const auto image = events::ImageReference::tryParse(_redeployImage);
    if (!image || image->tag().empty())
    {
        failStartup(EXIT_USAGE, "--redeploy: '" + _redeployImage + "' is not an image reference with a tag");
        return EXIT_USAGE;
    }
    const auto deploySettings = deploy::DeploySettings::fromConfig(config());
    const DockerHosts docker(dockerHosts(), nullptr);
    std::string unreachable;
    const auto engines = docker.checkEngines(unreachable);
    if (!unreachable.empty())
    {
        failStartup(EXIT_UNAVAILABLE, unreachable);
        return EXIT_UNAVAILABLE;
    }

    events::ImageEvent event;
    event.source = events::EventSource::Generic;
    event.registry = image->domain();
    event.repository = image->path();
    event.tag = image->tag();
    event.digest = image->digest();
    event.deliveryId = "cli";

    // Journaled like the server's deploys, so that a crash in the middle is put right (by the
    // next --redeploy or the next start of the server); recovered first for the same reason.
    // When a running server holds the state directory, the deploy runs without a journal;
    // any other journal error (missing or read-only state.dir, disk full) stops it here.
    auto& logger = Poco::Logger::get("wiretap");
    std::unique_ptr<deploy::DeployJournal> journal;
    try
    {
        journal =
            std::make_unique<deploy::DeployJournal>(StartupSettings::stateDirectory(config(), _environment));
    }
    catch (const deploy::StateDirectoryInUse& exc)
    {
        log::warning(logger, "Deploy not journaled", {{"Reason", exc.what()}});
    }
    catch (const deploy::JournalError& exc)
    {
        failStartup(EXIT_CANTCREAT, exc.what());
        return EXIT_CANTCREAT;
    }
    deploy::HostFleet fleet(docker.fleetHosts(), deploySettings, journal.get(), docker.list().parallelism,
                            docker.list().named);
    fleet.onRecovery(
        [&](const deploy::DeployReport& recovered)
        {
            try
            {
                if (journal)
                    journal->saveReport(recovered); // for the server's /v1/deployments
            }
            catch (const deploy::JournalError& exc)
            {
                log::warning(logger, "Recovery report not saved", {{"Reason", exc.what()}});
            }
        });
    try
    {
        fleet.recover(engines);
    }
    catch (const deploy::JournalError& exc)
    {
        failStartup(EXIT_CANTCREAT, exc.what());
        return EXIT_CANTCREAT;
    }
    const auto report =
        fleet.run({"cli-" + Poco::DateTimeFormatter::format(Poco::Timestamp(), "%Y%m%dT%H%M%S%i") + "-" +
                       std::to_string(Poco::Process::id()),
                   deploy::deployKey(event),
                   {event},
                   Poco::Timestamp()});
    if (journal)
    {
        try
        {
            journal->saveReport(report);
        }
        catch (const deploy::JournalError& exc)
        {
            log::warning(logger, "Deploy report not saved", {{"Reason", exc.what()}});
        }
    }
    report.toJson()->stringify(std::cout, 2);
    std::cout << '\n';
    return report.succeeded() ? EXIT_OK : 1;
}

int WiretapApplication::serve()
{
    auto& logger = Poco::Logger::get("wiretap");
    // Every setting is checked before the port is bound or the engine asked (exit 78, not 69).
    const auto startup = StartupSettings::read(config(), _environment, _layers.commandLineKeys());
    const auto& settings = startup.server;
    const auto& intakeSettings = startup.intake;
    const auto& deploySettings = startup.deploy;
    const auto& notifySettings = startup.notify;
    const std::string listenAddress = settings.address + ":" + Poco::NumberFormatter::format(settings.port);

    Poco::Net::ServerSocket socket;
    try
    {
        socket.bind(Poco::Net::SocketAddress(settings.address, settings.port), true, false);
        // The kernel's most (net.core.somaxconn): a burst of connections larger than the backlog
        // loses SYNs, which the clients resend only a second later.
        socket.listen(SOMAXCONN);
    }
    catch (const Poco::Exception& exc)
    {
        failStartup(EXIT_UNAVAILABLE, "cannot listen on " + listenAddress + ": " + exc.displayText() +
                                          " (is another wiretap already running? set http.port or --port)");
        return EXIT_UNAVAILABLE;
    }

    const DockerHosts docker(startup.docker, &_metrics);
    std::string unreachable;
    const auto engines = docker.checkEngines(unreachable);
    if (!unreachable.empty())
    {
        failStartup(EXIT_UNAVAILABLE, unreachable);
        return EXIT_UNAVAILABLE;
    }
    if (intakeSettings.token.empty())
        log::warning(logger, "No token is set: anyone who can reach wiretap can trigger deploys "
                             "(wiretap.allowUnauthenticated=true)");

    // Deploy journal (issue 5, part 6): opened, and what a crash interrupted
    // put right, before any webhook is accepted.
    std::unique_ptr<deploy::DeployJournal> journal;
    std::unique_ptr<deploy::DeploymentHistory> history;
    std::unique_ptr<deploy::HostFleet> fleet;
    try
    {
        journal = std::make_unique<deploy::DeployJournal>(startup.stateDir);
        history = std::make_unique<deploy::DeploymentHistory>(200, journal.get());
        fleet = std::make_unique<deploy::HostFleet>(docker.fleetHosts(), deploySettings, journal.get(),
                                                    startup.docker.parallelism, startup.docker.named);
        // What recovery did to containers and Swarm services: in /v1/deployments and the metrics.
        fleet->onRecovery(
            [&](const deploy::DeployReport& report)
            {
                history->add(report);
                deploy::DeployMetrics::recordRecovery(_metrics, report);
            });
        fleet->recover(engines);
    }
    catch (const deploy::JournalError& exc)
    {
        failStartup(EXIT_CANTCREAT, exc.what());
        return EXIT_CANTCREAT;
    }

    // Webhook -> queue -> deployer -> docker. The queue outlives the HTTP server.
    notify::CompletionNotifier notifier(notifySettings);
    auto queue = std::make_unique<deploy::DeployQueue>(
        [&](const deploy::DeployRequest& request)
        {
            const auto report = fleet->run(request);
            history->add(report);
            deploy::DeployMetrics::record(_metrics, report);
            notifier.deployFinished(request, report);
            log::info(Poco::Logger::get("wiretap.deploy"), "Deploy finished",
                      {{"Deploy", report.id},
                       {"Image", report.image},
                       {"Result", deploy::toString(report.result)},
                       {"DockerCalls", std::to_string(report.dockerCalls)},
                       {"Seconds", Poco::NumberFormatter::format(
                                       static_cast<double>(report.finishedAt - report.startedAt) / 1e6, 3)}});
        },
        deploySettings.maxConcurrent, deploySettings.maxWaiting,
        [this](std::size_t waiting, std::size_t running)
        {
            _metrics.set("wiretap_deploys_waiting", static_cast<double>(waiting));
            _metrics.set("wiretap_deploys_running", static_cast<double>(running));
        });
    http::WebhookIntake intake(intakeSettings, *queue, _metrics);
    const http::WebhookAuthenticator apiAuthenticator(intakeSettings.apiToken, {},
                                                      intakeSettings.allowUnauthenticated);

    auto* router = new http::RequestRouter(&_metrics);
    router->add("GET", "/healthz", [](const auto&) { return new http::HealthHandler; });
    router->add("GET", "/metrics", [this](const auto&) { return new http::MetricsHandler(_metrics); });
    router->add("POST", "/listen", [&intake](const auto&) { return new http::WebhookHandler(intake, ""); });
    router->addPrefix("POST", "/hooks/",
                      [&intake](const Poco::Net::HTTPServerRequest& request)
                      {
                          const std::string path = Poco::URI(request.getURI()).getPath();
                          return new http::WebhookHandler(intake, path.substr(std::string("/hooks/").size()));
                      });
    const auto deployments = [&](const auto&)
    { return new http::DeploymentsHandler(*history, apiAuthenticator); };
    router->add("GET", "/v1/deployments", deployments);
    router->addPrefix("GET", "/v1/deployments/", deployments);

    http::WebhookServer server(settings, router, socket, _metrics);
    server.start();
    log::info(logger, "Listening for webhooks",
              {{"Address", listenAddress},
               {"Version", kVersion},
               {"Pid", Poco::NumberFormatter::format(static_cast<long>(::getpid()))}});

    const HangupListener hangup([this] { _logging.reopenFiles(); });
    waitForTerminationRequest();

    log::info(logger, "Shutting down",
              {{"InFlight", Poco::NumberFormatter::format(server.currentConnections())}});
    server.stop(settings.shutdownTimeout, logger);
    if (queue->running() > 0)
        log::info(logger, "Waiting for running deploys to finish",
                  {{"Running", std::to_string(queue->running())}});
    for (const auto& dropped : queue->stop())
        log::warning(logger, "Queued deploy dropped at shutdown",
                     {{"Deploy", dropped.id}, {"Image", dropped.key}});
    notifier.stop();
    log::info(logger, "Stopped");
    return EXIT_OK;
}

} // namespace wiretap::app
