#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>

#include <map>
#include <string>

namespace wiretap::config
{

/// The configuration keys the original wiretap's environment variables set, as one
/// configuration layer between the config file and the command line:
///   TOKEN -> wiretap.token, DOCKER_HOST -> docker.host, DOCKER_CONFIG -> docker.config,
///   and the seed's DOCKER_CERT_PATH / DOCKER_KEY_PATH / DOCKER_CA_CERT_PATH naming FILES ->
///   docker.tlsCert / docker.tlsKey / docker.tlsCaCert with docker.tlsVerify=true.
/// DOCKER_TLS_VERIFY and a DOCKER_CERT_PATH naming a folder are the docker CLI's own: they
/// map to no key (DockerSettings checks them and passes them on). Empty variables are ignored.
class EnvironmentLayer : public Poco::Util::MapConfiguration
{
public:
    explicit EnvironmentLayer(const std::map<std::string, std::string>& env);

    /// The variable that set `key`, empty when none did.
    std::string variableOf(const std::string& key) const;

private:
    void map(const std::string& key, const std::string& value, const std::string& variable);

    std::map<std::string, std::string> _variables; ///< key -> variable
};

/// Where the layer goes in Poco's LayeredConfiguration (lower is consulted first):
/// after the command line (Application::PRIO_APPLICATION, -100), before the config
/// file (PRIO_DEFAULT, 0), so the environment overrides the file and `--set` both.
constexpr int kEnvironmentPriority = -50;

} // namespace wiretap::config
