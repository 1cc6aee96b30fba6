#include "config/DockerHostList.h"

#include "config/ConfigError.h"
#include "config/ServerSettings.h"

#include <Poco/Ascii.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>

#include <algorithm>

namespace wiretap::config
{
namespace
{
bool isSet(const std::map<std::string, std::string>& env, const std::string& variable)
{
    const auto it = env.find(variable);
    return it != env.end() && !Poco::trim(it->second).empty();
}

/// docker.host and docker.tls* configure the one implicit host: a host list would silently ignore
/// them. Set by the seed's environment (DOCKER_HOST, DOCKER_CERT_PATH) they are only ignored,
/// since that environment is often shared with other tools; in the file or on the command line
/// they are an error.
void rejectSingleHostKeys(const Poco::Util::AbstractConfiguration& config,
                          const std::map<std::string, std::string>& env,
                          const std::set<std::string>& commandLineKeys)
{
    for (const char* key :
         {"docker.host", "docker.tlsVerify", "docker.tlsCert", "docker.tlsKey", "docker.tlsCaCert"})
    {
        const bool fromEnvironment =
            commandLineKeys.count(key) == 0 &&
            isSet(env, std::string(key) == "docker.host" ? "DOCKER_HOST" : "DOCKER_CERT_PATH");
        if (!fromEnvironment && !Poco::trim(config.getString(key, "")).empty())
            throw ConfigError(key, "does not apply when docker.hosts is set: give each host its own "
                                   "docker.hosts.<name>.* keys");
    }
}
} // namespace

bool DockerHostList::validName(const std::string& name)
{
    if (name.empty() || name.size() > 63 || !Poco::Ascii::isAlphaNumeric(name.front()))
        return false;
    return std::all_of(name.begin(), name.end(),
                       [](char c) { return Poco::Ascii::isAlphaNumeric(c) || c == '-' || c == '_'; });
}

DockerHostList DockerHostList::fromConfig(const Poco::Util::AbstractConfiguration& config,
                                          const std::map<std::string, std::string>& env,
                                          const std::set<std::string>& commandLineKeys)
{
    DockerHostList list;
    list.parallelism = static_cast<std::size_t>(readInt(config, "docker.hostParallelism", 4, 1, 64));
    const std::string names = Poco::trim(config.getString("docker.hosts", ""));
    if (names.empty())
    {
        list.hosts.push_back({kDefaultName, DockerSettings::fromConfig(config, env, commandLineKeys)});
        return list;
    }

    list.named = true;
    rejectSingleHostKeys(config, env, commandLineKeys);
    for (const char* variable :
         {"DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH", "DOCKER_KEY_PATH", "DOCKER_CA_CERT_PATH"})
        if (isSet(env, variable))
            list.ignoredVariables.push_back(variable);
    const Poco::StringTokenizer tokens(names, ",", Poco::StringTokenizer::TOK_TRIM);
    for (auto it = tokens.begin(); it != tokens.end(); ++it)
    {
        if (!validName(*it))
            throw ConfigError("docker.hosts",
                              "'" + *it + "' is not a host name (letters, digits, '-' and '_', at most 63)");
        if (std::find(tokens.begin(), it, *it) != it)
            throw ConfigError("docker.hosts", "'" + *it + "' is listed twice");
    }
    for (const auto& name : tokens)
        list.hosts.push_back({name, DockerSettings::forNamedHost(config, env, commandLineKeys, name)});
    // A host configured but not listed is most likely a typo in the list.
    Poco::Util::AbstractConfiguration::Keys configured;
    config.keys("docker.hosts", configured);
    for (const auto& name : configured)
        if (std::none_of(list.hosts.begin(), list.hosts.end(),
                         [&](const DockerHost& h) { return h.name == name; }))
        {
            Poco::Util::AbstractConfiguration::Keys leaves;
            config.keys("docker.hosts." + name, leaves);
            throw ConfigError("docker.hosts." + name + (leaves.empty() ? "" : "." + leaves.front()),
                              "'" + name + "' is not listed in docker.hosts");
        }
    return list;
}

} // namespace wiretap::config
