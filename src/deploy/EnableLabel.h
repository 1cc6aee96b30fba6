#pragma once

#include <map>
#include <string>

namespace wiretap::deploy
{

/// The `wiretap.enable` label rule, the same for containers and Swarm services: `false` always
/// leaves it alone; with deploy.labelEnable on, only `true` lets wiretap touch it.
class EnableLabel
{
public:
    static constexpr const char* kKey = "wiretap.enable";

    /// Why the labels keep wiretap away, or "" when they let it update.
    static std::string skipReason(const std::map<std::string, std::string>& labels, bool labelEnable);
};

} // namespace wiretap::deploy
