#include "backend/InspectJson.h"

#include "backend/BackendError.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>

namespace wiretap::backend::inspect
{
namespace
{

std::string asString(const Poco::Dynamic::Var& value)
{
    if (value.isEmpty())
        return "";
    return value.isString() ? value.extract<std::string>() : value.convert<std::string>();
}

} // namespace

std::vector<Poco::JSON::Object::Ptr> parseArray(const std::string& text)
{
    Poco::Dynamic::Var parsed;
    try
    {
        Poco::JSON::Parser parser;
        parsed = parser.parse(text);
    }
    catch (const Poco::Exception& e)
    {
        throw BackendError("docker inspect printed no JSON: " + e.displayText());
    }
    if (parsed.type() != typeid(Poco::JSON::Array::Ptr))
        throw BackendError("docker inspect printed no JSON array");
    std::vector<Poco::JSON::Object::Ptr> result;
    const auto array = parsed.extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < array->size(); ++i)
    {
        auto item = array->getObject(static_cast<unsigned>(i));
        if (item)
            result.push_back(item);
    }
    return result;
}

Poco::JSON::Object::Ptr object(const Poco::JSON::Object& from, const std::string& key)
{
    return from.has(key) ? from.getObject(key) : Poco::JSON::Object::Ptr();
}

std::string string(const Poco::JSON::Object& from, const std::string& key)
{
    if (!from.has(key))
        return "";
    try
    {
        return asString(from.get(key));
    }
    catch (const Poco::Exception&)
    {
        return "";
    }
}

Poco::Int64 integer(const Poco::JSON::Object& from, const std::string& key)
{
    if (!present(from, key))
        return 0;
    try
    {
        return from.get(key).convert<Poco::Int64>();
    }
    catch (const Poco::Exception&)
    {
        return 0;
    }
}

bool boolean(const Poco::JSON::Object& from, const std::string& key)
{
    if (!present(from, key))
        return false;
    try
    {
        return from.get(key).convert<bool>();
    }
    catch (const Poco::Exception&)
    {
        return false;
    }
}

bool present(const Poco::JSON::Object& from, const std::string& key)
{
    return from.has(key) && !from.isNull(key);
}

std::vector<std::string> strings(const Poco::JSON::Object& from, const std::string& key)
{
    std::vector<std::string> result;
    const auto array = from.has(key) ? from.getArray(key) : Poco::JSON::Array::Ptr();
    if (!array)
        return result;
    for (std::size_t i = 0; i < array->size(); ++i)
        result.push_back(asString(array->get(static_cast<unsigned>(i))));
    return result;
}

std::map<std::string, std::string> stringMap(const Poco::JSON::Object& from, const std::string& key)
{
    std::map<std::string, std::string> result;
    const auto map = object(from, key);
    if (!map)
        return result;
    for (const auto& [name, value] : *map)
        result[name] = asString(value);
    return result;
}

std::vector<std::string> keys(const Poco::JSON::Object& from, const std::string& key)
{
    std::vector<std::string> result;
    const auto map = object(from, key);
    if (map)
        map->getNames(result);
    std::sort(result.begin(), result.end());
    return result;
}

std::vector<Poco::JSON::Object::Ptr> objects(const Poco::JSON::Object& from, const std::string& key)
{
    std::vector<Poco::JSON::Object::Ptr> result;
    const auto array = from.has(key) ? from.getArray(key) : Poco::JSON::Array::Ptr();
    if (!array)
        return result;
    for (std::size_t i = 0; i < array->size(); ++i)
    {
        auto item = array->getObject(static_cast<unsigned>(i));
        if (item)
            result.push_back(item);
    }
    return result;
}

} // namespace wiretap::backend::inspect
