#include "deploy/DependencyOrder.h"

#include "backend/InspectJson.h"

#include <algorithm>
#include <functional>

namespace wiretap::deploy
{
namespace
{
/// `/db:/web/db` (links), `db:ro` (volumes-from) or `/db`: the container part, without '/'.
std::string containerPart(const std::string& entry)
{
    std::string name = entry.substr(0, entry.find(':'));
    if (!name.empty() && name.front() == '/')
        name.erase(0, 1);
    return name;
}

bool names(const std::string& reference, const std::string& name, const std::string& id)
{
    if (reference.empty())
        return false;
    if (reference == name)
        return true;
    // inspect shows `container:<full id>`; a user may have typed a short id.
    return reference.size() >= 12 && id.compare(0, reference.size(), reference) == 0;
}
} // namespace

std::vector<std::string> dependenciesOf(const Poco::JSON::Object::Ptr& inspect)
{
    std::vector<std::string> needs;
    if (!inspect)
        return needs;
    const auto host = backend::inspect::object(*inspect, "HostConfig");
    if (!host)
        return needs;
    const std::string mode = backend::inspect::string(*host, "NetworkMode");
    if (mode.rfind("container:", 0) == 0)
        needs.push_back(mode.substr(10));
    for (const auto& link : backend::inspect::strings(*host, "Links"))
        needs.push_back(containerPart(link));
    for (const auto& from : backend::inspect::strings(*host, "VolumesFrom"))
        needs.push_back(containerPart(from));
    needs.erase(std::remove(needs.begin(), needs.end(), std::string()), needs.end());
    return needs;
}

std::vector<std::size_t> dependencyOrder(const std::vector<std::string>& names_,
                                         const std::vector<std::string>& ids,
                                         const std::vector<std::vector<std::string>>& dependencies)
{
    const std::size_t count = names_.size();
    std::vector<std::size_t> order;
    std::vector<int> state(count, 0); // 0 new, 1 visiting, 2 done
    std::function<void(std::size_t)> visit = [&](std::size_t i)
    {
        if (state[i] != 0)
            return; // done, or a cycle: keep the given order
        state[i] = 1;
        for (const auto& need : dependencies[i])
            for (std::size_t j = 0; j < count; ++j)
                if (j != i && names(need, names_[j], ids[j]))
                    visit(j);
        state[i] = 2;
        order.push_back(i);
    };
    for (std::size_t i = 0; i < count; ++i)
        visit(i);
    return order;
}

} // namespace wiretap::deploy
