#pragma once

#include <Poco/JSON/Object.h>

#include <functional>
#include <string>
#include <vector>

namespace wiretap::backend
{

/// The `docker create` flags for the resource, security, namespace, logging, DNS, port and
/// restart settings of a container's HostConfig (not its networks or volumes), each one argv
/// word. Values that equal what the CLI sends when a flag is absent are left out.
/// `resolve` turns a container id (in `container:ID` modes) into its name.
std::vector<std::string> hostConfigOptions(const Poco::JSON::Object& hostConfig,
                                           const std::function<std::string(const std::string&)>& resolve);

/// A Go duration for nanoseconds, as the CLI parses it: 30s, 1500ms, 250us, 7ns.
std::string goDuration(Poco::Int64 nanoseconds);

} // namespace wiretap::backend
