#include "config/ConfigLayers.h"

#include <Poco/Exception.h>
#include <Poco/Path.h>
#include <Poco/String.h>
#include <Poco/Util/Application.h>
#include <Poco/Util/IniFileConfiguration.h>
#include <Poco/Util/JSONConfiguration.h>
#include <Poco/Util/PropertyFileConfiguration.h>
#include <Poco/Util/XMLConfiguration.h>

#include <algorithm>

namespace wiretap::config
{
namespace
{
void collectLeaves(const Poco::Util::AbstractConfiguration& config, const std::string& prefix,
                   std::vector<std::string>& out)
{
    Poco::Util::AbstractConfiguration::Keys children;
    config.keys(prefix, children);
    for (const auto& child : children)
    {
        const std::string key = prefix.empty() ? child : prefix + "." + child;
        if (config.hasProperty(key))
            out.push_back(key);
        collectLeaves(config, key, out);
    }
}
} // namespace

std::vector<std::string> leafKeys(const Poco::Util::AbstractConfiguration& config)
{
    std::vector<std::string> keys;
    collectLeaves(config, "", keys);
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    return keys;
}

ConfigLayers::ConfigLayers(Poco::Util::LayeredConfiguration& config,
                           const std::map<std::string, std::string>& env)
    : _config(config), _commandLine(new Poco::Util::MapConfiguration), _environment(new EnvironmentLayer(env))
{
    _config.add(_commandLine, Poco::Util::Application::PRIO_APPLICATION, false);
    _config.add(_environment, kEnvironmentPriority, false);
}

void ConfigLayers::setFromCommandLine(const std::string& key, const std::string& value)
{
    _commandLine->setString(key, value);
}

void ConfigLayers::loadFile(const std::string& path)
{
    const std::string extension = Poco::toLower(Poco::Path(path).getExtension());
    Poco::AutoPtr<Poco::Util::AbstractConfiguration> file;
    if (extension == "properties")
        file = new Poco::Util::PropertyFileConfiguration(path);
    else if (extension == "ini")
        file = new Poco::Util::IniFileConfiguration(path);
    else if (extension == "xml")
        file = new Poco::Util::XMLConfiguration(path);
    else if (extension == "json")
        file = new Poco::Util::JSONConfiguration(path);
    else
        throw Poco::InvalidArgumentException("unknown file type '." + extension +
                                             "' (use .properties, .ini, .xml or .json)");
    if (_file)
        _config.removeConfiguration(_file);
    _file = file;
    _filePath = path;
    _config.add(_file, Poco::Util::Application::PRIO_DEFAULT, false);
    // As Poco's Application::loadConfiguration() does, for ${application.configDir} in values
    // (into the application's writable layer; a bare LayeredConfiguration has none).
    try
    {
        _config.setString("application.configDir", Poco::Path(path).absolute().parent().toString());
    }
    catch (const Poco::RuntimeException&)
    {
    }
}

ConfigLayers::Source ConfigLayers::sourceOf(const std::string& key) const
{
    if (_commandLine->hasProperty(key))
        return Source::CommandLine;
    if (_environment->hasProperty(key))
        return Source::Environment;
    if (_file && _file->hasProperty(key))
        return Source::File;
    return Source::Default;
}

std::string ConfigLayers::describeSource(const std::string& key) const
{
    switch (sourceOf(key))
    {
    case Source::CommandLine:
        return "command line";
    case Source::Environment:
        return "environment " + _environment->variableOf(key);
    case Source::File:
        return "file " + _filePath;
    case Source::Default:
        break;
    }
    return "default";
}

std::set<std::string> ConfigLayers::commandLineKeys() const
{
    const auto keys = leafKeys(*_commandLine);
    return {keys.begin(), keys.end()};
}

std::vector<std::string> ConfigLayers::explicitKeys() const
{
    std::vector<std::string> keys = leafKeys(*_commandLine);
    const auto fromEnvironment = leafKeys(*_environment);
    keys.insert(keys.end(), fromEnvironment.begin(), fromEnvironment.end());
    if (_file)
    {
        const auto fromFile = leafKeys(*_file);
        keys.insert(keys.end(), fromFile.begin(), fromFile.end());
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    return keys;
}

} // namespace wiretap::config
