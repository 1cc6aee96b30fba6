#pragma once

#include "metrics/Metrics.h"

#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>

#include <string>
#include <vector>

namespace wiretap::app
{

/// The wiretap server: reads the configuration, serves webhooks over HTTP
/// until SIGTERM/SIGINT, then lets in-flight requests finish.
class WiretapApplication : public Poco::Util::ServerApplication
{
public:
    WiretapApplication();

    /// The file given with --config, empty when none.
    const std::string& configPath() const { return _configPath; }
    /// True when an option (--help, --version) already did all the work.
    bool exitRequested() const { return _exitRequested; }

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

    /// Logs `message` as one error line and remembers the exit code for main().
    void failStartup(int exitCode, const std::string& message);
    int serve();
    int printRun();
    int redeploy();
    /// state.dir, else systemd's $STATE_DIRECTORY, else /var/lib/wiretap.
    std::string stateDirectory() const;

    std::string _configPath;
    std::string _printRunContainer;
    std::string _redeployImage;
    bool _exitRequested = false;
    int _startupExitCode = EXIT_OK;
    std::string _startupError;
    metrics::Metrics _metrics;
};

} // namespace wiretap::app
