#pragma once

#include "config/EnvironmentLayer.h"

#include <Poco/AutoPtr.h>
#include <Poco/Util/AbstractConfiguration.h>
#include <Poco/Util/LayeredConfiguration.h>
#include <Poco/Util/MapConfiguration.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace wiretap::config
{

/// wiretap's three layers over the built-in defaults, in Poco's LayeredConfiguration:
/// the command line (`--set`, `--define`, `--port`, `--dry-run`; priority -100), the
/// environment (EnvironmentLayer, -50) and the config file (0). Knows where each key's
/// effective value comes from, for --check-config and for error messages.
class ConfigLayers
{
public:
    enum class Source
    {
        Default,
        File,
        Environment,
        CommandLine
    };

    /// Adds the command-line and environment layers to `config`, which must outlive this.
    ConfigLayers(Poco::Util::LayeredConfiguration& config, const std::map<std::string, std::string>& env);

    /// A key given on the command line.
    void setFromCommandLine(const std::string& key, const std::string& value);
    /// Adds FILE (.properties, .ini, .xml or .json) as the file layer; throws Poco::Exception.
    void loadFile(const std::string& path);

    Source sourceOf(const std::string& key) const;
    /// "default", "file /etc/wiretap/wiretap.properties", "environment TOKEN", "command line".
    std::string describeSource(const std::string& key) const;
    /// Every key the command line set.
    std::set<std::string> commandLineKeys() const;
    /// Every key the file, the environment and the command line set, sorted.
    std::vector<std::string> explicitKeys() const;
    const std::string& filePath() const { return _filePath; }

private:
    Poco::Util::LayeredConfiguration& _config;
    Poco::AutoPtr<Poco::Util::MapConfiguration> _commandLine;
    Poco::AutoPtr<EnvironmentLayer> _environment;
    Poco::AutoPtr<Poco::Util::AbstractConfiguration> _file;
    std::string _filePath;
};

/// Every key of `config` that holds a value, with its full dotted name, sorted.
std::vector<std::string> leafKeys(const Poco::Util::AbstractConfiguration& config);

} // namespace wiretap::config
