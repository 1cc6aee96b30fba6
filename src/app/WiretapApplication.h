#pragma once

#include "config/ConfigError.h"
#include "config/ConfigLayers.h"
#include "config/DockerHostList.h"
#include "config/DockerSettings.h"
#include "log/ServiceLogging.h"
#include "metrics/Metrics.h"

#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>

#include <map>
#include <string>
#include <vector>

namespace wiretap::app
{

/// The wiretap server: reads the configuration, serves webhooks over HTTP
/// until SIGTERM/SIGINT, then lets in-flight requests finish. SIGHUP reopens
/// the log files.
///
/// Configuration precedence, lowest first: built-in defaults, the file given with
/// --config, the environment (`environment`, see EnvironmentLayer), the command line.
class WiretapApplication : public Poco::Util::ServerApplication
{
public:
    explicit WiretapApplication(
        std::map<std::string, std::string> environment = config::DockerSettings::currentEnvironment());

    /// The file given with --config, empty when none.
    const std::string& configPath() const { return _configPath; }
    /// True when an option (--help, --version) already did all the work.
    bool exitRequested() const { return _exitRequested; }
    /// Where each key's value comes from.
    const config::ConfigLayers& layers() const { return _layers; }

    /// Checks the command line's options the way Poco will parse them, before it
    /// does: an unknown or ambiguous option, a missing or unexpected argument, or a
    /// --set that is not KEY=VALUE is logged and returns EXIT_USAGE (64). Poco
    /// itself would exit EXIT_CONFIG (78) for these, which says the configuration
    /// is wrong. Returns 0 when the options are fine.
    int checkOptions(int argc, char** argv);

protected:
    void initialize(Poco::Util::Application& self) override;
    void uninitialize() override;
    void defineOptions(Poco::Util::OptionSet& options) override;
    int main(const std::vector<std::string>& args) override;

private:
    void handleHelp(const std::string& name, const std::string& value);
    void handleVersion(const std::string& name, const std::string& value);
    void handleConfig(const std::string& name, const std::string& value);
    void handleSet(const std::string& name, const std::string& value);
    void handlePrintRun(const std::string& name, const std::string& value);
    void handleRedeploy(const std::string& name, const std::string& value);
    void handleDryRun(const std::string& name, const std::string& value);
    void handlePort(const std::string& name, const std::string& value);
    void handleCheckConfig(const std::string& name, const std::string& value);

    /// Sets up logging from `log.*` and Poco's `logging.*` keys; on a bad logging
    /// configuration, falls back to the console and remembers the error for main().
    void initializeLogging(Poco::Util::Application& self);
    /// Logs `message` as one error line (see ServiceLogging::reportError) and
    /// remembers the exit code for main().
    void failStartup(int exitCode, const std::string& message);
    /// A ConfigError's message, with where the bad value came from.
    std::string describe(const config::ConfigError& error) const;
    void warnAboutUnknownKeys();
    config::DockerHostList dockerHosts() const;
    int checkConfig();
    int serve();
    int printRun();
    int redeploy();

    std::string _configPath;
    std::string _printRunContainer;
    std::string _redeployImage;
    bool _exitRequested = false;
    bool _checkConfig = false;
    std::map<std::string, std::string> _environment;
    config::ConfigLayers _layers;
    log::ServiceLogging _logging;
    int _startupExitCode = EXIT_OK;
    std::string _startupError;
    metrics::Metrics _metrics;
};

} // namespace wiretap::app
