#pragma once

#include <Poco/Timespan.h>
#include <Poco/Util/AbstractConfiguration.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace wiretap::config
{

/// How wiretap runs the docker CLI (`docker.*` keys and the seed's environment), validated.
///
/// Precedence: defaults < config file < environment < command line. The environment
/// overrides the configuration, as in the seed, except for keys set on the command line
/// (`commandLineKeys`): those win, and the variables they replace are emptied for the CLI.
/// - `DOCKER_HOST` (or `docker.host`) becomes `--host`.
/// - `DOCKER_CERT_PATH`, `DOCKER_KEY_PATH`, `DOCKER_CA_CERT_PATH` naming FILES (the seed's
///   meaning) become `--tlsverify --tlscert --tlskey --tlscacert`; all three are required, and
///   the child sees an empty DOCKER_CERT_PATH so the CLI does not mistake the file for a folder.
/// - `DOCKER_CERT_PATH` naming a FOLDER and `DOCKER_TLS_VERIFY` are left to the CLI, which reads
///   ca.pem, cert.pem and key.pem from it (checked here when DOCKER_TLS_VERIFY is set).
/// - `DOCKER_CONFIG` (or `docker.config`) becomes `--config`, so the CLI finds registry
///   credentials and credential helpers there.
/// - `docker.tlsVerify`, `docker.tlsCert`, `docker.tlsKey`, `docker.tlsCaCert` give the TLS
///   flags from the configuration when the environment does not.
struct DockerSettings
{
    std::string binary;                                  ///< absolute path of the docker CLI
    std::string host;                                    ///< "" = the CLI's default
    std::vector<std::string> globalArgs;                 ///< flags before every command
    std::map<std::string, std::string> childEnvironment; ///< set (or emptied) for every call
    Poco::Timespan timeout = Poco::Timespan(60, 0);      ///< per call (`docker.timeout`)
    Poco::Timespan pullTimeout = Poco::Timespan(600, 0); ///< per pull (`docker.pullTimeout`)

    /// Reads `docker.*` and the environment `env` (pass currentEnvironment() in production);
    /// `commandLineKeys` are the keys set on the command line, which outrank the environment.
    /// Throws ConfigError naming the key or variable.
    static DockerSettings fromConfig(const Poco::Util::AbstractConfiguration& config,
                                     const std::map<std::string, std::string>& env,
                                     const std::set<std::string>& commandLineKeys = {});

    /// The host `docker.hosts.<name>`: `url` (unix://, tcp:// or ssh://) and its own TLS files
    /// (`tlsVerify`, `tlsCert`, `tlsKey`, `tlsCaCert`, tcp:// only) under that prefix; the binary,
    /// `docker.config` and the timeouts as fromConfig reads them. DOCKER_HOST, DOCKER_TLS_VERIFY,
    /// DOCKER_CERT_PATH and DOCKER_CONTEXT are emptied for the CLI: they name one engine.
    static DockerSettings forNamedHost(const Poco::Util::AbstractConfiguration& config,
                                       const std::map<std::string, std::string>& env,
                                       const std::set<std::string>& commandLineKeys, const std::string& name);

    /// This process's environment as a map.
    static std::map<std::string, std::string> currentEnvironment();
};

} // namespace wiretap::config
