// libFuzzer target: the `docker inspect` reader. The input is parsed as the
// JSON array `docker container inspect` prints; each object is read as a
// container created from a fixed image (tests/fixtures/inspect/image-v1.json)
// and turned into `docker create` / `docker network connect` argv. Only
// BackendError may come out (InspectJson.h, ContainerSpecParser.h).
#include "backend/BackendError.h"
#include "backend/ContainerSpecParser.h"
#include "backend/CreateArgsBuilder.h"
#include "backend/InspectJson.h"

#include <Poco/JSON/Object.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

using namespace wiretap::backend;

namespace
{
Poco::JSON::Object::Ptr loadImage()
{
    const std::string path = std::string(WIRETAP_FIXTURES_DIR) + "/inspect/image-v1.json";
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    const auto objects = inspect::parseArray(text.str());
    if (objects.empty())
    {
        std::fprintf(stderr, "fuzz_inspect: no image object in %s\n", path.c_str());
        std::abort();
    }
    return objects.front();
}

void read(const Poco::JSON::Object& container, const Poco::JSON::Object& image)
{
    static const std::map<std::string, std::string> names = {
        {"6121fc5263840c38380bf07116e1a6a54aed0049a5ca0673d2f991214de295da", "fid-base"}};
    static const std::set<std::string> sharedPaths = {"/shared"};
    try
    {
        const ContainerSpec spec = ContainerSpecParser::parse(container, image, names, sharedPaths);
        (void)CreateArgsBuilder::createArgs(spec, "registry.example.com/app:v2", "app");
        (void)CreateArgsBuilder::runArgs(spec, "registry.example.com/app:v2", "app");
        for (const auto& endpoint : CreateArgsBuilder::laterNetworks(spec))
            (void)CreateArgsBuilder::networkConnectArgs(endpoint, "app");
    }
    catch (const BackendError&)
    {
    }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static const Poco::JSON::Object::Ptr image = loadImage();
    std::vector<Poco::JSON::Object::Ptr> objects;
    try
    {
        objects = inspect::parseArray(std::string(reinterpret_cast<const char*>(data), size));
    }
    catch (const BackendError&)
    {
        return 0;
    }
    for (const auto& container : objects)
        read(*container, *image);
    // A second object is also tried as the image of the first (engines differ in both).
    if (objects.size() >= 2)
        read(*objects[0], *objects[1]);
    return 0;
}
