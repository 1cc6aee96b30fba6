#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Types.h>

#include <map>
#include <string>
#include <vector>

/// Lenient readers for `docker inspect` JSON: a missing key, a JSON null and an empty value
/// all read as "unset" (the engine versions disagree on which one they print).
namespace wiretap::backend::inspect
{

/// Parses the JSON array `docker inspect` prints; throws BackendError when it is not one.
std::vector<Poco::JSON::Object::Ptr> parseArray(const std::string& text);

Poco::JSON::Object::Ptr object(const Poco::JSON::Object& from, const std::string& key);
std::string string(const Poco::JSON::Object& from, const std::string& key);
Poco::Int64 integer(const Poco::JSON::Object& from, const std::string& key);
bool boolean(const Poco::JSON::Object& from, const std::string& key);
/// True when the key is there and not null.
bool present(const Poco::JSON::Object& from, const std::string& key);
/// An array of strings (null/missing = empty).
std::vector<std::string> strings(const Poco::JSON::Object& from, const std::string& key);
/// An object of strings (null/missing = empty).
std::map<std::string, std::string> stringMap(const Poco::JSON::Object& from, const std::string& key);
/// The keys of an object used as a set (ExposedPorts, Volumes), sorted.
std::vector<std::string> keys(const Poco::JSON::Object& from, const std::string& key);
/// The objects of an array (null/missing = empty; non-objects skipped).
std::vector<Poco::JSON::Object::Ptr> objects(const Poco::JSON::Object& from, const std::string& key);

} // namespace wiretap::backend::inspect
