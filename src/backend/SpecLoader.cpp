#include "backend/SpecLoader.h"

#include "backend/BackendError.h"
#include "backend/ContainerSpecParser.h"
#include "backend/InspectJson.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <set>

namespace wiretap::backend
{
namespace
{

/// Image inspect objects by id; ids that cannot be inspected are left out.
std::map<std::string, Poco::JSON::Object::Ptr> inspectImagesById(ContainerBackend& backend,
                                                                 const std::vector<std::string>& ids)
{
    std::map<std::string, Poco::JSON::Object::Ptr> result;
    std::vector<Poco::JSON::Object::Ptr> images;
    try
    {
        images = backend.inspectImages(ids);
    }
    catch (const BackendError&)
    {
        // One of them is gone: ask one by one.
        for (const auto& id : ids)
        {
            try
            {
                const auto one = backend.inspectImages({id});
                images.insert(images.end(), one.begin(), one.end());
            }
            catch (const BackendError& e)
            {
                Poco::Logger::get("wiretap.docker")
                    .warning("image=" + id +
                             " cannot be inspected; its containers keep all values: " + e.what());
            }
        }
    }
    for (const auto& image : images)
        result[inspect::string(*image, "Id")] = image;
    return result;
}

/// The container a --volumes-from value names ("NAME[:ro|rw]").
std::string volumesFromSource(const std::string& value)
{
    return value.substr(0, value.find(':'));
}

/// Mount points of the --volumes-from sources of `inspected`, by source name or id (one more
/// inspect call, only when some container uses --volumes-from).
std::map<std::string, std::set<std::string>>
sharedMountPoints(ContainerBackend& backend, const std::vector<Poco::JSON::Object::Ptr>& inspected)
{
    std::vector<std::string> sources;
    for (const auto& container : inspected)
        if (const auto host = inspect::object(*container, "HostConfig"))
            for (const auto& from : inspect::strings(*host, "VolumesFrom"))
                if (std::find(sources.begin(), sources.end(), volumesFromSource(from)) == sources.end())
                    sources.push_back(volumesFromSource(from));
    std::map<std::string, std::set<std::string>> result;
    if (sources.empty())
        return result;
    const auto found = backend.inspectContainers(sources);
    for (std::size_t i = 0; i < found.size() && i < sources.size(); ++i)
        for (const auto& mount : inspect::objects(*found[i], "Mounts"))
            result[sources[i]].insert(inspect::string(*mount, "Destination"));
    return result;
}

} // namespace

std::vector<ContainerSpec> loadContainerSpecs(ContainerBackend& backend,
                                              const std::vector<std::string>& containers)
{
    if (containers.empty())
        return {};
    std::map<std::string, std::string> namesById;
    for (const auto& summary : backend.listContainers())
        namesById[summary.id] = summary.name;
    const auto inspected = backend.inspectContainers(containers);
    std::vector<std::string> imageIds;
    for (const auto& container : inspected)
    {
        const std::string id = inspect::string(*container, "Image");
        if (!id.empty() && std::find(imageIds.begin(), imageIds.end(), id) == imageIds.end())
            imageIds.push_back(id);
    }
    const auto images = inspectImagesById(backend, imageIds);
    const auto shared = sharedMountPoints(backend, inspected);
    std::vector<ContainerSpec> specs;
    const Poco::JSON::Object none;
    for (const auto& container : inspected)
    {
        std::set<std::string> paths;
        if (const auto host = inspect::object(*container, "HostConfig"))
            for (const auto& from : inspect::strings(*host, "VolumesFrom"))
            {
                const auto it = shared.find(volumesFromSource(from));
                if (it != shared.end())
                    paths.insert(it->second.begin(), it->second.end());
            }
        const auto image = images.find(inspect::string(*container, "Image"));
        specs.push_back(ContainerSpecParser::parse(*container, image != images.end() ? *image->second : none,
                                                   namesById, paths));
    }
    return specs;
}

ContainerSpec loadContainerSpec(ContainerBackend& backend, const std::string& container)
{
    auto specs = loadContainerSpecs(backend, {container});
    if (specs.empty())
        throw BackendError("no such container: " + container);
    return specs.front();
}

} // namespace wiretap::backend
