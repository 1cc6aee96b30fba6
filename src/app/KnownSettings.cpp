#include "app/KnownSettings.h"

#include "config/ServerSettings.h"
#include "deploy/DeploySettings.h"
#include "notify/CompletionNotifier.h"

#include <set>
#include <string>

namespace wiretap::app
{
namespace
{
std::string text(bool value)
{
    return value ? "true" : "false";
}

std::string text(const std::set<std::string>& values)
{
    std::string joined;
    for (const auto& value : values)
        joined += (joined.empty() ? "" : ",") + value;
    return joined;
}
} // namespace

std::string defaultStateDir(const std::map<std::string, std::string>& env)
{
    const auto it = env.find("STATE_DIRECTORY");
    if (it == env.end() || it->second.empty())
        return "/var/lib/wiretap";
    return it->second.substr(0, it->second.find(':'));
}

config::SettingCatalog knownSettings(const std::map<std::string, std::string>& env)
{
    const config::ServerSettings server;
    const deploy::DeploySettings deploy;
    return config::SettingCatalog(
        {
            {"http.address", server.address},
            {"http.port", std::to_string(server.port)},
            {"http.maxThreads", std::to_string(server.maxThreads)},
            {"http.maxQueued", std::to_string(server.maxQueued)},
            {"http.requestTimeout", "10"},
            {"http.headerTimeout", "10"},
            {"http.keepAliveTimeout", "5"},
            {"http.maxKeepAliveRequests", "100"},
            {"http.shutdownTimeout", "30"},
            {"http.maxBodyBytes", "1048576"},
            {"http.bodyTimeout", "10"},
            {"http.rememberedDeliveries", "10000"},
            {"wiretap.token", ""},
            {"wiretap.allowUnauthenticated", "false"},
            {"wiretap.apiToken", ""},
            {"docker.binary", "docker"},
            {"docker.host", ""},
            {"docker.hosts", ""},
            {"docker.hostParallelism", "4"},
            {"docker.tlsVerify", "false"},
            {"docker.tlsCert", ""},
            {"docker.tlsKey", ""},
            {"docker.tlsCaCert", ""},
            {"docker.config", ""},
            {"docker.timeout", "60"},
            {"docker.pullTimeout", "600"},
            {"deploy.labelEnable", text(deploy.labelEnable)},
            {"deploy.includeStopped", text(deploy.includeStopped)},
            {"deploy.stopTimeout", std::to_string(deploy.stopTimeoutSeconds)},
            {"deploy.minUptime", "5"},
            {"deploy.healthTimeout", "60"},
            {"deploy.strategy", "rolling"},
            {"deploy.parallelism", "4"},
            {"deploy.onFailure", "stop"},
            {"deploy.cleanup", text(deploy.cleanup)},
            {"deploy.maxConcurrent", "2"},
            {"deploy.maxWaiting", "1000"},
            {"deploy.dryRun", text(deploy.dryRun)},
            {"deploy.serviceTimeout", std::to_string(deploy.serviceTimeout.totalSeconds())},
            {"state.dir", defaultStateDir(env)},
            {"notify.url", ""},
            {"notify.publicUrl", ""},
            {"notify.timeout", "10"},
            {"notify.caFile", ""},
            {"notify.callbackHosts", text(notify::CompletionNotifier::Settings().callbackHosts)},
            {"log.level", "info"},
            {"log.format", "text"},
        },
        {"hooks.*.token", "docker.hosts.*.url", "docker.hosts.*.tlsVerify", "docker.hosts.*.tlsCert",
         "docker.hosts.*.tlsKey", "docker.hosts.*.tlsCaCert"},
        {"logging.", "application.", "system."});
}

} // namespace wiretap::app
