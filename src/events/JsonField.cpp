#include "events/JsonField.h"
#include "events/PayloadError.h"
#include "events/Quote.h"

#include <Poco/JSON/Array.h>

#include <algorithm>

namespace wiretap::events
{

JsonField::JsonField(const Poco::JSON::Object::Ptr& root, std::string path)
    : _value(root), _path(std::move(path))
{
}

JsonField::JsonField(Poco::Dynamic::Var value, std::string path)
    : _value(std::move(value)), _path(std::move(path))
{
}

bool JsonField::isObject() const
{
    return !isMissing() && _value.type() == typeid(Poco::JSON::Object::Ptr);
}

bool JsonField::isArray() const
{
    return !isMissing() && _value.type() == typeid(Poco::JSON::Array::Ptr);
}

std::string JsonField::typeName() const
{
    if (isMissing())
        return "missing";
    if (isObject())
        return "object";
    if (isArray())
        return "array";
    if (isString())
        return "string";
    if (isBoolean())
        return "boolean";
    if (isNumber())
        return "number";
    return "unknown";
}

JsonField JsonField::child(Poco::Dynamic::Var value, const std::string& childPath,
                           const std::string& container) const
{
    JsonField result(std::move(value), childPath);
    if (!_brokenProblem.empty())
    {
        result._brokenPath = _brokenPath;
        result._brokenProblem = _brokenProblem;
        result._brokenByMissing = _brokenByMissing;
    }
    else if (isMissing())
    {
        result._brokenPath = _path;
        result._brokenProblem = "missing";
        result._brokenByMissing = true;
    }
    else if (typeName() != container)
    {
        result._brokenPath = _path;
        result._brokenProblem = "expected an " + container + ", got " + typeName();
    }
    return result;
}

JsonField JsonField::operator[](const std::string& key) const
{
    const std::string childPath = (_path.empty() ? "" : _path + ".") + printable(key, 40);
    Poco::Dynamic::Var value;
    if (isObject())
        value = _value.extract<Poco::JSON::Object::Ptr>()->get(key);
    return child(value, childPath, "object");
}

JsonField JsonField::operator[](std::size_t index) const
{
    const std::string childPath = _path + "[" + std::to_string(index) + "]";
    Poco::Dynamic::Var value;
    if (isArray())
    {
        const auto& array = _value.extract<Poco::JSON::Array::Ptr>();
        if (index < array->size())
            value = array->get(static_cast<unsigned int>(index));
    }
    return child(value, childPath, "array");
}

std::size_t JsonField::size() const
{
    return isArray() ? _value.extract<Poco::JSON::Array::Ptr>()->size() : 0;
}

std::vector<std::string> JsonField::keys() const
{
    std::vector<std::string> names;
    if (isObject())
        _value.extract<Poco::JSON::Object::Ptr>()->getNames(names);
    std::sort(names.begin(), names.end());
    return names;
}

void JsonField::fail(const std::string& expected) const
{
    if (!_brokenProblem.empty())
        throw PayloadError(_brokenPath, _brokenProblem);
    if (isMissing())
        throw PayloadError(_path, "missing");
    throw PayloadError(_path, "expected " + expected + ", got " + typeName());
}

void JsonField::requireObject() const
{
    if (!isObject())
        fail("an object");
}

void JsonField::requireArray() const
{
    if (!isArray())
        fail("an array");
}

std::string JsonField::string() const
{
    if (!isString())
        fail("a string");
    return _value.extract<std::string>();
}

std::string JsonField::stringOr(const std::string& fallback) const
{
    if (isMissing() && (_brokenProblem.empty() || _brokenByMissing))
        return fallback;
    return string();
}

double JsonField::number() const
{
    if (!isNumber())
        fail("a number");
    return _value.convert<double>();
}

} // namespace wiretap::events
