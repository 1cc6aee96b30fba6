#include "backend/HostConfigOptions.h"

#include "backend/InspectJson.h"

#include <Poco/NumberFormatter.h>

namespace wiretap::backend
{
namespace
{

using inspect::boolean;
using inspect::integer;
using inspect::objects;
using inspect::present;
using inspect::string;
using inspect::stringMap;
using inspect::strings;

const Poco::Int64 defaultShmSize = 64 * 1024 * 1024;

class Options
{
public:
    void add(const std::string& flag, const std::string& value) { _words.push_back(flag + "=" + value); }
    void flag(const std::string& flag) { _words.push_back(flag); }
    void nonEmpty(const std::string& flag, const std::string& value)
    {
        if (!value.empty())
            add(flag, value);
    }
    void nonZero(const std::string& flag, Poco::Int64 value)
    {
        if (value != 0)
            add(flag, std::to_string(value));
    }
    void each(const std::string& flag, const std::vector<std::string>& values)
    {
        for (const auto& value : values)
            add(flag, value);
    }
    void pairs(const std::string& flag, const std::map<std::string, std::string>& values)
    {
        for (const auto& [key, value] : values)
            add(flag, key + "=" + value);
    }
    std::vector<std::string>& words() { return _words; }

private:
    std::vector<std::string> _words;
};

/// "container:ID" with ID replaced by the container's name.
std::string resolveMode(const std::string& mode,
                        const std::function<std::string(const std::string&)>& resolve)
{
    const std::string prefix = "container:";
    if (mode.rfind(prefix, 0) != 0)
        return mode;
    return prefix + resolve(mode.substr(prefix.size()));
}

std::string cpus(Poco::Int64 nanoCpus)
{
    std::string text = Poco::NumberFormatter::format(static_cast<double>(nanoCpus) / 1e9, 9);
    while (!text.empty() && text.back() == '0')
        text.pop_back();
    if (!text.empty() && text.back() == '.')
        text.pop_back();
    return text;
}

void ports(Options& options, const Poco::JSON::Object& hostConfig)
{
    const auto bindings = inspect::object(hostConfig, "PortBindings");
    if (!bindings)
        return;
    std::vector<std::string> names;
    bindings->getNames(names);
    for (const auto& port : names)
    {
        for (const auto& binding : objects(*bindings, port))
        {
            std::string ip = string(*binding, "HostIp");
            const std::string hostPort = string(*binding, "HostPort");
            if (ip.find(':') != std::string::npos)
                ip = "[" + ip + "]";
            if (!ip.empty())
                options.add("--publish", ip + ":" + hostPort + ":" + port);
            else if (!hostPort.empty())
                options.add("--publish", hostPort + ":" + port);
            else
                options.add("--publish", port);
        }
    }
    if (boolean(hostConfig, "PublishAllPorts"))
        options.flag("--publish-all");
}

void restart(Options& options, const Poco::JSON::Object& hostConfig)
{
    const auto policy = inspect::object(hostConfig, "RestartPolicy");
    if (!policy)
        return;
    const std::string name = string(*policy, "Name");
    const Poco::Int64 retries = integer(*policy, "MaximumRetryCount");
    if (name.empty() || name == "no")
        return;
    options.add("--restart", retries > 0 ? name + ":" + std::to_string(retries) : name);
}

void logging(Options& options, const Poco::JSON::Object& hostConfig)
{
    const auto log = inspect::object(hostConfig, "LogConfig");
    if (!log)
        return;
    const std::string type = string(*log, "Type");
    const auto config = stringMap(*log, "Config");
    if (type.empty() || (type == "json-file" && config.empty()))
        return;
    options.add("--log-driver", type);
    options.pairs("--log-opt", config);
}

void resources(Options& options, const Poco::JSON::Object& h)
{
    options.nonZero("--memory", integer(h, "Memory"));
    options.nonZero("--memory-reservation", integer(h, "MemoryReservation"));
    options.nonZero("--memory-swap", integer(h, "MemorySwap"));
    if (present(h, "MemorySwappiness") && integer(h, "MemorySwappiness") >= 0)
        options.add("--memory-swappiness", std::to_string(integer(h, "MemorySwappiness")));
    options.nonZero("--kernel-memory", integer(h, "KernelMemory"));
    if (integer(h, "NanoCpus") > 0)
        options.add("--cpus", cpus(integer(h, "NanoCpus")));
    options.nonZero("--cpu-shares", integer(h, "CpuShares"));
    options.nonZero("--cpu-period", integer(h, "CpuPeriod"));
    options.nonZero("--cpu-quota", integer(h, "CpuQuota"));
    options.nonZero("--cpu-rt-period", integer(h, "CpuRealtimePeriod"));
    options.nonZero("--cpu-rt-runtime", integer(h, "CpuRealtimeRuntime"));
    options.nonEmpty("--cpuset-cpus", string(h, "CpusetCpus"));
    options.nonEmpty("--cpuset-mems", string(h, "CpusetMems"));
    options.nonZero("--blkio-weight", integer(h, "BlkioWeight"));
    for (const auto& device : objects(h, "BlkioWeightDevice"))
        options.add("--blkio-weight-device", string(*device, "Path") + ":" + string(*device, "Weight"));
    const std::pair<const char*, const char*> throttles[] = {{"BlkioDeviceReadBps", "--device-read-bps"},
                                                             {"BlkioDeviceWriteBps", "--device-write-bps"},
                                                             {"BlkioDeviceReadIOps", "--device-read-iops"},
                                                             {"BlkioDeviceWriteIOps", "--device-write-iops"}};
    for (const auto& [key, flag] : throttles)
        for (const auto& device : objects(h, key))
            options.add(flag, string(*device, "Path") + ":" + string(*device, "Rate"));
    options.nonZero("--pids-limit", integer(h, "PidsLimit"));
    if (boolean(h, "OomKillDisable"))
        options.flag("--oom-kill-disable");
    options.nonZero("--oom-score-adj", integer(h, "OomScoreAdj"));
    for (const auto& limit : objects(h, "Ulimits"))
        options.add("--ulimit",
                    string(*limit, "Name") + "=" + string(*limit, "Soft") + ":" + string(*limit, "Hard"));
    const Poco::Int64 shm = integer(h, "ShmSize");
    if (shm != 0 && shm != defaultShmSize)
        options.add("--shm-size", std::to_string(shm));
}

void security(Options& options, const Poco::JSON::Object& h)
{
    if (boolean(h, "Privileged"))
        options.flag("--privileged");
    options.each("--cap-add", strings(h, "CapAdd"));
    options.each("--cap-drop", strings(h, "CapDrop"));
    options.each("--security-opt", strings(h, "SecurityOpt"));
    if (boolean(h, "ReadonlyRootfs"))
        options.flag("--read-only");
    for (const auto& device : objects(h, "Devices"))
    {
        std::string value = string(*device, "PathOnHost") + ":" + string(*device, "PathInContainer");
        if (!string(*device, "CgroupPermissions").empty())
            value += ":" + string(*device, "CgroupPermissions");
        options.add("--device", value);
    }
    options.each("--device-cgroup-rule", strings(h, "DeviceCgroupRules"));
    options.each("--group-add", strings(h, "GroupAdd"));
    if (boolean(h, "Init"))
        options.flag("--init");
}

void namespaces(Options& options, const Poco::JSON::Object& h,
                const std::function<std::string(const std::string&)>& resolve)
{
    options.nonEmpty("--pid", resolveMode(string(h, "PidMode"), resolve));
    const std::string ipc = string(h, "IpcMode");
    if (ipc != "private")
        options.nonEmpty("--ipc", resolveMode(ipc, resolve));
    options.nonEmpty("--uts", string(h, "UTSMode"));
    options.nonEmpty("--userns", string(h, "UsernsMode"));
    options.nonEmpty("--cgroupns", string(h, "CgroupnsMode"));
    options.pairs("--sysctl", stringMap(h, "Sysctls"));
    options.nonEmpty("--cgroup-parent", string(h, "CgroupParent"));
    const std::string runtime = string(h, "Runtime");
    if (runtime != "runc")
        options.nonEmpty("--runtime", runtime);
    options.nonEmpty("--volume-driver", string(h, "VolumeDriver"));
    options.pairs("--storage-opt", stringMap(h, "StorageOpt"));
    options.pairs("--annotation", stringMap(h, "Annotations"));
    if (boolean(h, "AutoRemove"))
        options.flag("--rm");
}

void dns(Options& options, const Poco::JSON::Object& h)
{
    options.each("--dns", strings(h, "Dns"));
    options.each("--dns-search", strings(h, "DnsSearch"));
    options.each("--dns-option", strings(h, "DnsOptions"));
    options.each("--add-host", strings(h, "ExtraHosts"));
}

} // namespace

std::vector<std::string> hostConfigOptions(const Poco::JSON::Object& hostConfig,
                                           const std::function<std::string(const std::string&)>& resolve)
{
    Options options;
    ports(options, hostConfig);
    restart(options, hostConfig);
    dns(options, hostConfig);
    logging(options, hostConfig);
    resources(options, hostConfig);
    security(options, hostConfig);
    namespaces(options, hostConfig, resolve);
    return options.words();
}

std::string goDuration(Poco::Int64 nanoseconds)
{
    const std::pair<Poco::Int64, const char*> units[] = {
        {60LL * 1000000000, "m"}, {1000000000, "s"}, {1000000, "ms"}, {1000, "us"}};
    for (const auto& [size, unit] : units)
        if (nanoseconds % size == 0)
            return std::to_string(nanoseconds / size) + unit;
    return std::to_string(nanoseconds) + "ns";
}

} // namespace wiretap::backend
