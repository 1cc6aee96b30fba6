#include "config/EnvironmentLayer.h"

#include <sys/stat.h>

namespace wiretap::config
{
namespace
{
std::string lookup(const std::map<std::string, std::string>& env, const std::string& name)
{
    const auto it = env.find(name);
    return it == env.end() ? std::string() : it->second;
}

bool isFile(const std::string& path)
{
    struct stat info = {};
    return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}
} // namespace

EnvironmentLayer::EnvironmentLayer(const std::map<std::string, std::string>& env)
{
    map("wiretap.token", lookup(env, "TOKEN"), "TOKEN");
    map("docker.host", lookup(env, "DOCKER_HOST"), "DOCKER_HOST");
    map("docker.config", lookup(env, "DOCKER_CONFIG"), "DOCKER_CONFIG");
    const std::string certPath = lookup(env, "DOCKER_CERT_PATH");
    if (isFile(certPath))
    {
        map("docker.tlsVerify", "true", "DOCKER_CERT_PATH");
        map("docker.tlsCert", certPath, "DOCKER_CERT_PATH");
        map("docker.tlsKey", lookup(env, "DOCKER_KEY_PATH"), "DOCKER_KEY_PATH");
        map("docker.tlsCaCert", lookup(env, "DOCKER_CA_CERT_PATH"), "DOCKER_CA_CERT_PATH");
    }
}

void EnvironmentLayer::map(const std::string& key, const std::string& value, const std::string& variable)
{
    if (value.empty())
        return;
    setString(key, value);
    _variables[key] = variable;
}

std::string EnvironmentLayer::variableOf(const std::string& key) const
{
    const auto it = _variables.find(key);
    return it == _variables.end() ? std::string() : it->second;
}

} // namespace wiretap::config
