#pragma once

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

namespace wiretap::deploy
{

/// The containers (names or ids, as inspect shows them) that `inspect`ed
/// container needs: `network_mode: container:X`, links, volumes-from.
std::vector<std::string> dependenciesOf(const Poco::JSON::Object::Ptr& inspect);

/// Indices of `containers` ordered so that every container comes after those
/// it depends on (among them); otherwise the given order is kept. A cycle is
/// broken in the given order. `names[i]` and `ids[i]` identify container i;
/// `dependencies[i]` lists what it needs by name or id.
std::vector<std::size_t> dependencyOrder(const std::vector<std::string>& names,
                                         const std::vector<std::string>& ids,
                                         const std::vector<std::vector<std::string>>& dependencies);

} // namespace wiretap::deploy
