#include "config/DockerSettings.h"

#include "config/ConfigError.h"
#include "config/ServerSettings.h"

#include <Poco/String.h>
#include <Poco/StringTokenizer.h>

#include <initializer_list>
#include <set>

#include <sys/stat.h>
#include <unistd.h>

extern char** environ;

namespace wiretap::config
{
namespace
{

const char* const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

enum class FileKind
{
    Missing,
    File,
    Directory,
    Other
};

FileKind kindOf(const std::string& path)
{
    struct stat info = {};
    if (::stat(path.c_str(), &info) != 0)
        return FileKind::Missing;
    if (S_ISREG(info.st_mode))
        return FileKind::File;
    return S_ISDIR(info.st_mode) ? FileKind::Directory : FileKind::Other;
}

std::string lookup(const std::map<std::string, std::string>& env, const std::string& name)
{
    const auto it = env.find(name);
    return it == env.end() ? std::string() : it->second;
}

std::string findBinary(const std::string& program, const std::string& path)
{
    auto executable = [](const std::string& candidate)
    { return kindOf(candidate) == FileKind::File && ::access(candidate.c_str(), X_OK) == 0; };
    if (program.find('/') != std::string::npos)
        return executable(program) ? program : "";
    Poco::StringTokenizer dirs(path, ":", Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    for (const auto& dir : dirs)
        if (executable(dir + "/" + program))
            return dir + "/" + program;
    return "";
}

/// A TLS file that must exist and be readable; `key` names where it came from.
std::string readableFile(const std::string& key, const std::string& path)
{
    if (kindOf(path) != FileKind::File)
        throw ConfigError(key, "'" + path + "' is not a file");
    if (::access(path.c_str(), R_OK) != 0)
        throw ConfigError(key, "'" + path + "' is not readable by this user");
    return path;
}

void addTlsFlags(DockerSettings& settings, const std::string& cert, const std::string& key,
                 const std::string& ca, bool verify)
{
    settings.globalArgs.push_back(verify ? "--tlsverify" : "--tls");
    if (!ca.empty())
        settings.globalArgs.insert(settings.globalArgs.end(), {"--tlscacert", ca});
    if (!cert.empty())
        settings.globalArgs.insert(settings.globalArgs.end(), {"--tlscert", cert});
    if (!key.empty())
        settings.globalArgs.insert(settings.globalArgs.end(), {"--tlskey", key});
}

/// The environment variable `variable`, unless the command line set `key` (then the child
/// process sees the variable empty, so the docker CLI cannot fall back on it either).
std::string fromEnvironment(DockerSettings& settings, const std::map<std::string, std::string>& env,
                            const std::string& variable, const std::string& key,
                            const std::set<std::string>& commandLineKeys)
{
    const std::string value = Poco::trim(lookup(env, variable));
    if (commandLineKeys.count(key) == 0)
        return value;
    if (env.count(variable) != 0)
        settings.childEnvironment[variable] = "";
    return "";
}

void checkScheme(const std::string& key, const std::string& url, std::initializer_list<const char*> schemes,
                 const std::string& listed)
{
    for (const char* scheme : schemes)
        if (url.rfind(scheme, 0) == 0)
            return;
    throw ConfigError(key, "'" + url + "' is not a docker host (" + listed + ")");
}

void readHost(DockerSettings& settings, const Poco::Util::AbstractConfiguration& config,
              const std::map<std::string, std::string>& env, const std::set<std::string>& commandLineKeys)
{
    std::string key = "DOCKER_HOST";
    settings.host = fromEnvironment(settings, env, key, "docker.host", commandLineKeys);
    if (settings.host.empty())
    {
        key = "docker.host";
        settings.host = Poco::trim(config.getString(key, ""));
    }
    if (settings.host.empty())
        return;
    checkScheme(key, settings.host, {"unix://", "tcp://", "ssh://", "fd://", "npipe://"},
                "unix://, tcp://, ssh://, fd://");
    settings.globalArgs.insert(settings.globalArgs.end(), {"--host", settings.host});
}

/// The TLS flags from `<prefix>tlsVerify`, `tlsCert`, `tlsKey` and `tlsCaCert`; returns whether
/// any of them is set.
bool readConfigTls(DockerSettings& settings, const Poco::Util::AbstractConfiguration& config,
                   const std::string& prefix)
{
    const bool verify = readBool(config, prefix + "tlsVerify", false);
    const std::string cert = Poco::trim(config.getString(prefix + "tlsCert", ""));
    const std::string key = Poco::trim(config.getString(prefix + "tlsKey", ""));
    const std::string ca = Poco::trim(config.getString(prefix + "tlsCaCert", ""));
    if (!verify && cert.empty() && key.empty() && ca.empty())
        return false;
    if (cert.empty() != key.empty())
        throw ConfigError(prefix + (cert.empty() ? "tlsCert" : "tlsKey"),
                          prefix + "tlsCert and " + prefix + "tlsKey go together");
    if (verify && ca.empty())
        throw ConfigError(prefix + "tlsCaCert", "is required when " + prefix + "tlsVerify is true");
    // One by one, so that the first bad file is the one reported.
    const std::string certFile = cert.empty() ? "" : readableFile(prefix + "tlsCert", cert);
    const std::string keyFile = key.empty() ? "" : readableFile(prefix + "tlsKey", key);
    const std::string caFile = ca.empty() ? "" : readableFile(prefix + "tlsCaCert", ca);
    addTlsFlags(settings, certFile, keyFile, caFile, verify);
    return true;
}

void readTls(DockerSettings& settings, const Poco::Util::AbstractConfiguration& config,
             const std::map<std::string, std::string>& env, const std::set<std::string>& commandLineKeys)
{
    bool tlsOnCommandLine = false;
    for (const char* key : {"docker.tlsVerify", "docker.tlsCert", "docker.tlsKey", "docker.tlsCaCert"})
        tlsOnCommandLine = tlsOnCommandLine || commandLineKeys.count(key) != 0;
    if (tlsOnCommandLine)
    {
        // The command line decides TLS: the CLI must not add a certificate folder or
        // DOCKER_TLS_VERIFY from the environment to what wiretap passes.
        for (const char* variable : {"DOCKER_CERT_PATH", "DOCKER_TLS_VERIFY"})
            if (env.count(variable) != 0)
                settings.childEnvironment[variable] = "";
    }
    const std::string certPath = tlsOnCommandLine ? std::string() : lookup(env, "DOCKER_CERT_PATH");
    if (!certPath.empty())
    {
        const FileKind kind = kindOf(certPath);
        if (kind == FileKind::File)
        {
            // The seed's meaning: three files.
            const std::string keyPath = lookup(env, "DOCKER_KEY_PATH");
            const std::string caPath = lookup(env, "DOCKER_CA_CERT_PATH");
            if (keyPath.empty())
                throw ConfigError("DOCKER_KEY_PATH",
                                  "must name the client key file when DOCKER_CERT_PATH is a file");
            if (caPath.empty())
                throw ConfigError("DOCKER_CA_CERT_PATH",
                                  "must name the CA certificate file when DOCKER_CERT_PATH is a file");
            addTlsFlags(settings, readableFile("DOCKER_CERT_PATH", certPath),
                        readableFile("DOCKER_KEY_PATH", keyPath), readableFile("DOCKER_CA_CERT_PATH", caPath),
                        true);
            settings.childEnvironment["DOCKER_CERT_PATH"] = "";
            return;
        }
        if (kind != FileKind::Directory)
            throw ConfigError("DOCKER_CERT_PATH", "'" + certPath + "' is neither a file nor a folder");
        // The docker CLI's meaning: a folder it reads itself when DOCKER_TLS_VERIFY is set.
        if (!lookup(env, "DOCKER_TLS_VERIFY").empty())
        {
            for (const char* name : {"ca.pem", "cert.pem", "key.pem"})
                readableFile("DOCKER_CERT_PATH", certPath + "/" + name);
        }
        return;
    }

    readConfigTls(settings, config, "docker.");
}

/// What every host shares: the binary, the CLI's config folder, the timeouts.
void readCommon(DockerSettings& settings, const Poco::Util::AbstractConfiguration& config,
                const std::map<std::string, std::string>& env, const std::set<std::string>& commandLineKeys)
{
    const std::string program = Poco::trim(config.getString("docker.binary", "docker"));
    const std::string path = env.count("PATH") != 0 ? lookup(env, "PATH") : defaultPath;
    settings.binary = findBinary(program, path);
    if (settings.binary.empty())
        throw ConfigError("docker.binary", program.find('/') != std::string::npos
                                               ? "'" + program + "' is not an executable file"
                                               : "'" + program + "' was not found in PATH (" + path + ")");

    std::string key = "DOCKER_CONFIG";
    std::string configDir = fromEnvironment(settings, env, key, "docker.config", commandLineKeys);
    if (configDir.empty())
    {
        key = "docker.config";
        configDir = Poco::trim(config.getString(key, ""));
    }
    if (!configDir.empty())
    {
        const FileKind kind = kindOf(configDir);
        if (kind != FileKind::Directory && kind != FileKind::Missing)
            throw ConfigError(key, "'" + configDir + "' is not a folder");
        settings.globalArgs.insert(settings.globalArgs.end(), {"--config", configDir});
    }

    settings.timeout = readSeconds(config, "docker.timeout", 60, 0.001);
    settings.pullTimeout = readSeconds(config, "docker.pullTimeout", 600, 0.001);
}

} // namespace

DockerSettings DockerSettings::fromConfig(const Poco::Util::AbstractConfiguration& config,
                                          const std::map<std::string, std::string>& env,
                                          const std::set<std::string>& commandLineKeys)
{
    DockerSettings settings;
    readCommon(settings, config, env, commandLineKeys);
    readHost(settings, config, env, commandLineKeys);
    readTls(settings, config, env, commandLineKeys);
    return settings;
}

DockerSettings DockerSettings::forNamedHost(const Poco::Util::AbstractConfiguration& config,
                                            const std::map<std::string, std::string>& env,
                                            const std::set<std::string>& commandLineKeys,
                                            const std::string& name)
{
    DockerSettings settings;
    readCommon(settings, config, env, commandLineKeys);
    const std::string prefix = "docker.hosts." + name + ".";
    settings.host = Poco::trim(config.getString(prefix + "url", ""));
    if (settings.host.empty())
        throw ConfigError(prefix + "url", "is required for every host listed in docker.hosts");
    checkScheme(prefix + "url", settings.host, {"unix://", "tcp://", "ssh://"}, "unix://, tcp://, ssh://");
    settings.globalArgs.insert(settings.globalArgs.end(), {"--host", settings.host});
    const bool tls = readConfigTls(settings, config, prefix);
    if (tls && settings.host.rfind("tcp://", 0) != 0)
        throw ConfigError(prefix + "url", "'" + settings.host + "' is not a tcp:// host: " + prefix +
                                              "tls* do not apply to it");
    // The seed's variables name one engine and its certificates: they must not reach this
    // host's CLI (--host outranks DOCKER_HOST, but DOCKER_TLS_VERIFY and DOCKER_CERT_PATH would
    // apply to every host).
    for (const char* variable : {"DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH", "DOCKER_CONTEXT"})
        if (env.count(variable) != 0)
            settings.childEnvironment[variable] = "";
    return settings;
}

std::map<std::string, std::string> DockerSettings::currentEnvironment()
{
    std::map<std::string, std::string> env;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry)
    {
        const std::string text(*entry);
        const auto equals = text.find('=');
        if (equals != std::string::npos)
            env.emplace(text.substr(0, equals), text.substr(equals + 1));
    }
    return env;
}

} // namespace wiretap::config
