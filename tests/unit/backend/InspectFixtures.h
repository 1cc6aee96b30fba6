#pragma once

#include "backend/InspectJson.h"

#include <Poco/JSON/Object.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace wiretap::backend
{

/// The recorded `docker inspect` output in tests/fixtures/inspect.
class InspectFixtures
{
public:
    /// The first object of tests/fixtures/inspect/NAME.json.
    static Poco::JSON::Object::Ptr load(const std::string& name)
    {
        std::ifstream in(std::string(WIRETAP_FIXTURES_DIR) + "/inspect/" + name + ".json");
        std::stringstream text;
        text << in.rdbuf();
        return inspect::parseArray(text.str()).at(0);
    }

    /// id → name of the recorded containers the others refer to.
    static std::map<std::string, std::string> names()
    {
        const auto base = load("fid-base");
        return {{inspect::string(*base, "Id"), "fid-base"}};
    }

    /// The name of the volume mounted at `path` in a container inspect object.
    static std::string volumeAt(const Poco::JSON::Object& container, const std::string& path)
    {
        for (const auto& mount : inspect::objects(container, "Mounts"))
            if (inspect::string(*mount, "Destination") == path)
                return inspect::string(*mount, "Name");
        return "";
    }
};

} // namespace wiretap::backend
