#include "backend/ContainerSpecParser.h"

#include "backend/BackendError.h"
#include "backend/HostConfigOptions.h"
#include "backend/InspectJson.h"
#include "backend/ShellQuote.h"

#include <algorithm>
#include <set>

namespace wiretap::backend
{
namespace
{

using inspect::boolean;
using inspect::integer;
using inspect::keys;
using inspect::object;
using inspect::objects;
using inspect::present;
using inspect::string;
using inspect::stringMap;
using inspect::strings;
using Resolver = std::function<std::string(const std::string&)>;

const Poco::JSON::Object emptyObject;

const Poco::JSON::Object& section(const Poco::JSON::Object& from, const std::string& key)
{
    const auto found = object(from, key);
    return found ? *found : emptyObject;
}

bool contains(const std::vector<std::string>& values, const std::string& value)
{
    return std::find(values.begin(), values.end(), value) != values.end();
}

/// A MAC address the engine made up: 02:42 followed by the IPv4 address (engines before 28).
bool engineMac(const std::string& mac)
{
    return mac.empty() || mac.rfind("02:42:", 0) == 0;
}

/// One field of a `--mount` value, CSV-quoted when it holds a comma or a quote.
std::string csvField(const std::string& field)
{
    if (field.find_first_of(",\"") == std::string::npos)
        return field;
    std::string quoted = "\"";
    for (const char c : field)
    {
        if (c == '"')
            quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

std::string octal(Poco::Int64 value)
{
    std::string text;
    do
    {
        text.insert(text.begin(), static_cast<char>('0' + (value & 7)));
        value >>= 3;
    } while (value > 0);
    return text;
}

class Parser
{
public:
    Parser(const Poco::JSON::Object& container, const Poco::JSON::Object& image,
           const std::map<std::string, std::string>& namesById, const std::set<std::string>& sharedPaths)
        : _container(container), _config(section(container, "Config")),
          _host(section(container, "HostConfig")), _image(section(image, "Config")), _namesById(namesById),
          _sharedPaths(sharedPaths)
    {
        if (!object(container, "Config") || !object(container, "HostConfig"))
            throw BackendError("not a container inspect object (no Config or HostConfig)");
        _spec.id = string(container, "Id");
        _spec.name = string(container, "Name");
        if (!_spec.name.empty() && _spec.name.front() == '/')
            _spec.name.erase(0, 1);
        _spec.image = string(_config, "Image");
        _spec.imageId = string(container, "Image");
        _resolve = [this](const std::string& id) { return nameOf(id); };
    }

    ContainerSpec parse()
    {
        networkMode();
        identity();
        environment();
        process();
        health();
        volumes();
        links();
        const auto host = hostConfigOptions(_host, _resolve);
        _spec.options.insert(_spec.options.end(), host.begin(), host.end());
        _spec.autoRemove = boolean(_host, "AutoRemove");
        networks();
        return _spec;
    }

private:
    void add(const std::string& flag, const std::string& value)
    {
        _spec.options.push_back(flag + "=" + value);
    }

    std::string nameOf(const std::string& idOrName)
    {
        std::string name = idOrName;
        const auto exact = _namesById.find(idOrName);
        if (exact != _namesById.end())
            name = exact->second;
        else if (idOrName.size() >= 12)
        {
            for (const auto& [id, each] : _namesById)
                if (id.rfind(idOrName, 0) == 0)
                    name = each;
        }
        if (!name.empty() && name.front() == '/')
            name.erase(0, 1);
        if (!contains(_spec.dependsOn, name))
            _spec.dependsOn.push_back(name);
        return name;
    }

    bool sharesNetworkStack() const
    {
        const std::string mode = string(_host, "NetworkMode");
        return mode == "host" || mode.rfind("container:", 0) == 0;
    }

    void networkMode()
    {
        std::string mode = string(_host, "NetworkMode");
        if (mode == "default")
            mode.clear();
        if (mode.rfind("container:", 0) == 0)
            mode = "container:" + nameOf(mode.substr(10));
        _spec.networkMode = mode;
    }

    void identity()
    {
        const std::string hostname = string(_config, "Hostname");
        if (!hostname.empty() && !sharesNetworkStack() && hostname != _spec.id.substr(0, 12))
            add("--hostname", hostname);
        if (!sharesNetworkStack() && !string(_config, "Domainname").empty())
            add("--domainname", string(_config, "Domainname"));
        const std::string user = string(_config, "User");
        if (!user.empty() && user != string(_image, "User"))
            add("--user", user);
        const std::string workdir = string(_config, "WorkingDir");
        if (!workdir.empty() && workdir != string(_image, "WorkingDir"))
            add("--workdir", workdir);
        if (boolean(_config, "Tty"))
            _spec.options.push_back("--tty");
        if (boolean(_config, "OpenStdin"))
            _spec.options.push_back("--interactive");
    }

    void environment()
    {
        const auto inherited = strings(_image, "Env");
        for (const auto& entry : strings(_config, "Env"))
            if (!contains(inherited, entry))
                add("--env", entry);
        const auto imageLabels = stringMap(_image, "Labels");
        for (const auto& [key, value] : stringMap(_config, "Labels"))
        {
            const auto it = imageLabels.find(key);
            if (it == imageLabels.end() || it->second != value)
                add("--label", key + "=" + value);
        }
        // Ports published with -p are exposed by the engine too: only the rest came from --expose.
        const auto imagePorts = keys(_image, "ExposedPorts");
        const auto published = keys(_host, "PortBindings");
        for (const auto& port : keys(_config, "ExposedPorts"))
            if (!contains(imagePorts, port) && !contains(published, port))
                add("--expose", port);
    }

    void process()
    {
        const std::string signal = string(_config, "StopSignal");
        if (!signal.empty() && signal != string(_image, "StopSignal"))
            add("--stop-signal", signal);
        if (present(_config, "StopTimeout"))
            add("--stop-timeout", std::to_string(integer(_config, "StopTimeout")));
        const auto entrypoint = strings(_config, "Entrypoint");
        const auto command = strings(_config, "Cmd");
        _spec.entrypointSet = entrypoint != strings(_image, "Entrypoint");
        if (_spec.entrypointSet)
            _spec.entrypoint = entrypoint;
        // With an explicit entrypoint the engine ignores the image's Cmd: always pass ours.
        _spec.commandSet = _spec.entrypointSet || command != strings(_image, "Cmd");
        if (_spec.commandSet)
            _spec.command = command;
    }

    void health()
    {
        const auto mine = object(_config, "Healthcheck");
        if (!mine)
            return;
        const auto theirs = object(_image, "Healthcheck");
        const Poco::JSON::Object& image = theirs ? *theirs : emptyObject;
        const auto test = strings(*mine, "Test");
        const auto imageTest = strings(image, "Test");
        if (test == std::vector<std::string>{"NONE"})
        {
            if (imageTest != test)
                _spec.options.push_back("--no-healthcheck");
            return;
        }
        if (!test.empty() && test != imageTest)
        {
            if (test.front() == "CMD-SHELL" && test.size() == 2)
                add("--health-cmd", test[1]);
            else if (test.front() == "CMD" || test.front() == "CMD-SHELL")
                add("--health-cmd", shellJoin(std::vector<std::string>(test.begin() + 1, test.end())));
        }
        const std::pair<const char*, const char*> durations[] = {
            {"Interval", "--health-interval"},
            {"Timeout", "--health-timeout"},
            {"StartPeriod", "--health-start-period"},
            {"StartInterval", "--health-start-interval"}};
        for (const auto& [key, flag] : durations)
        {
            const Poco::Int64 value = integer(*mine, key);
            if (value != 0 && value != integer(image, key))
                add(flag, goDuration(value));
        }
        const Poco::Int64 retries = integer(*mine, "Retries");
        if (retries != 0 && retries != integer(image, "Retries"))
            add("--health-retries", std::to_string(retries));
    }

    void volumes()
    {
        std::set<std::string> covered = _sharedPaths;
        for (const auto& bind : strings(_host, "Binds"))
        {
            add("--volume", bind);
            const auto first = bind.find(':');
            const auto second = first == std::string::npos ? first : bind.find(':', first + 1);
            if (first != std::string::npos)
                covered.insert(
                    bind.substr(first + 1, second == std::string::npos ? second : second - first - 1));
        }
        const auto mounts = objects(_container, "Mounts");
        auto volumeAt = [&mounts](const std::string& path)
        {
            for (const auto& m : mounts)
                if (string(*m, "Destination") == path && string(*m, "Type") == "volume")
                    return string(*m, "Name");
            return std::string();
        };
        for (const auto& mount : objects(_host, "Mounts"))
        {
            const std::string target = string(*mount, "Target");
            covered.insert(target);
            add("--mount", mountValue(*mount, volumeAt(target)));
        }
        for (const auto& [path, options] : stringMap(_host, "Tmpfs"))
        {
            covered.insert(path);
            add("--tmpfs", options.empty() ? path : path + ":" + options);
        }
        // Anonymous volumes (declared by the image or by `-v /path`): attach the same volume again.
        const auto declared = keys(_config, "Volumes");
        for (const auto& m : mounts)
        {
            const std::string path = string(*m, "Destination");
            if (string(*m, "Type") != "volume" || covered.count(path) != 0 || !contains(declared, path))
                continue;
            add("--volume", string(*m, "Name") + ":" + path + (boolean(*m, "RW") ? "" : ":ro"));
        }
        for (const auto& from : strings(_host, "VolumesFrom"))
        {
            const auto colon = from.find(':');
            const std::string mode = colon == std::string::npos ? "" : from.substr(colon);
            add("--volumes-from", nameOf(from.substr(0, colon)) + mode);
        }
    }

    std::string mountValue(const Poco::JSON::Object& mount, const std::string& anonymousName)
    {
        const std::string type = string(mount, "Type");
        std::vector<std::string> fields = {"type=" + type};
        std::string source = string(mount, "Source");
        if (source.empty() && type == "volume")
            source = anonymousName;
        if (!source.empty())
            fields.push_back("source=" + source);
        fields.push_back("target=" + string(mount, "Target"));
        if (boolean(mount, "ReadOnly"))
            fields.push_back("readonly");
        if (!string(mount, "Consistency").empty())
            fields.push_back("consistency=" + string(mount, "Consistency"));
        const Poco::JSON::Object& bind = section(mount, "BindOptions");
        if (!string(bind, "Propagation").empty())
            fields.push_back("bind-propagation=" + string(bind, "Propagation"));
        if (boolean(bind, "NonRecursive"))
            fields.push_back("bind-nonrecursive=true");
        if (boolean(bind, "CreateMountpoint"))
            fields.push_back("bind-create-src=true");
        const Poco::JSON::Object& volume = section(mount, "VolumeOptions");
        if (boolean(volume, "NoCopy"))
            fields.push_back("volume-nocopy");
        if (!string(volume, "Subpath").empty())
            fields.push_back("volume-subpath=" + string(volume, "Subpath"));
        for (const auto& [key, value] : stringMap(volume, "Labels"))
            fields.push_back("volume-label=" + key + "=" + value);
        const Poco::JSON::Object& driver = section(volume, "DriverConfig");
        if (!string(driver, "Name").empty())
            fields.push_back("volume-driver=" + string(driver, "Name"));
        for (const auto& [key, value] : stringMap(driver, "Options"))
            fields.push_back("volume-opt=" + key + "=" + value);
        const Poco::JSON::Object& tmpfs = section(mount, "TmpfsOptions");
        if (integer(tmpfs, "SizeBytes") != 0)
            fields.push_back("tmpfs-size=" + std::to_string(integer(tmpfs, "SizeBytes")));
        if (integer(tmpfs, "Mode") != 0)
            fields.push_back("tmpfs-mode=" + octal(integer(tmpfs, "Mode")));
        std::string value;
        for (const auto& field : fields)
            value += (value.empty() ? "" : ",") + csvField(field);
        return value;
    }

    /// Legacy links ("/db:/web/alias") become --link db:alias.
    void links()
    {
        for (const auto& link : strings(_host, "Links"))
        {
            const auto colon = link.find(':');
            std::string target = link.substr(0, colon);
            if (!target.empty() && target.front() == '/')
                target.erase(0, 1);
            std::string alias = colon == std::string::npos ? target : link.substr(colon + 1);
            alias = alias.substr(alias.rfind('/') + 1);
            _legacyLinks.push_back(nameOf(target) + ":" + alias);
            add("--link", _legacyLinks.back());
        }
    }

    void networks()
    {
        const std::string mode = _spec.networkMode;
        if (mode == "host" || mode == "none" || mode.rfind("container:", 0) == 0)
            return;
        const auto all = object(section(_container, "NetworkSettings"), "Networks");
        if (!all)
            return;
        std::vector<std::string> names;
        all->getNames(names);
        std::sort(names.begin(), names.end());
        // The primary network: the one NetworkMode names (by name or id), else the default bridge.
        std::string primary = mode.empty() ? "bridge" : mode;
        for (const auto& name : names)
        {
            const auto endpoint = all->getObject(name);
            if (endpoint && !contains(names, mode) && mode.size() >= 12 &&
                string(*endpoint, "NetworkID").rfind(mode, 0) == 0)
                primary = name;
        }
        if (contains(names, primary) && mode != "bridge" && !mode.empty())
            _spec.networkMode = primary;
        const auto position = std::find(names.begin(), names.end(), primary);
        if (position != names.end())
            std::rotate(names.begin(), position, position + 1);
        const std::string configMac = string(_config, "MacAddress");
        for (const auto& name : names)
        {
            const auto settings = all->getObject(name);
            if (!settings)
                continue;
            NetworkEndpoint endpoint;
            endpoint.network = name;
            const std::string shortId = _spec.id.substr(0, 12);
            for (const auto& alias : strings(*settings, "Aliases"))
                if (alias != shortId && alias != _spec.id && alias != _spec.name &&
                    !contains(endpoint.aliases, alias))
                    endpoint.aliases.push_back(alias);
            const Poco::JSON::Object& ipam = section(*settings, "IPAMConfig");
            endpoint.ipv4 = string(ipam, "IPv4Address");
            endpoint.ipv6 = string(ipam, "IPv6Address");
            endpoint.linkLocalIps = strings(ipam, "LinkLocalIPs");
            for (const auto& link : strings(*settings, "Links"))
                if (!contains(_legacyLinks, link))
                    endpoint.links.push_back(link);
            endpoint.driverOpts = stringMap(*settings, "DriverOpts");
            // API < 1.44: a configured MAC is Config.MacAddress; 1.44+: the primary network's
            // MacAddress. Both may show a generated one (02:42 + IPv4 before engine 28), never
            // pinned. Engine 28+ generates random MACs inspect cannot tell from configured ones:
            // those are kept. `docker network connect` cannot set a MAC: only the primary's counts.
            const std::string mac = !configMac.empty() ? configMac : string(*settings, "MacAddress");
            if (name == primary && !engineMac(mac))
                endpoint.macAddress = mac;
            _spec.networks.push_back(endpoint);
        }
    }

    const Poco::JSON::Object& _container;
    const Poco::JSON::Object& _config;
    const Poco::JSON::Object& _host;
    const Poco::JSON::Object& _image;
    const std::map<std::string, std::string>& _namesById;
    const std::set<std::string>& _sharedPaths;
    Resolver _resolve;
    std::vector<std::string> _legacyLinks;
    ContainerSpec _spec;
};

} // namespace

ContainerSpec ContainerSpecParser::parse(const Poco::JSON::Object& container, const Poco::JSON::Object& image,
                                         const std::map<std::string, std::string>& namesById,
                                         const std::set<std::string>& sharedPaths)
{
    return Parser(container, image, namesById, sharedPaths).parse();
}

} // namespace wiretap::backend
