#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

namespace wiretap::events
{

/// A value inside a parsed JSON body together with its path
/// (`events[2].target.tag`), so every complaint names the field.
///
/// Walking never throws: a child of a missing value is missing, a child of a
/// value that is no object (or array) is missing too but remembers why. The
/// required readers then throw PayloadError at the highest broken point:
/// `target: expected an object, got number`. `null` counts as missing.
class JsonField
{
public:
    /// The root of a parsed body; `path` names it in messages (empty for the request body).
    explicit JsonField(const Poco::JSON::Object::Ptr& root, std::string path = "");

    const std::string& path() const { return _path; }
    bool isMissing() const { return _value.isEmpty(); }
    bool isObject() const;
    bool isArray() const;
    bool isString() const { return !isMissing() && _value.isString(); }
    bool isBoolean() const { return !isMissing() && _value.isBoolean(); }
    bool isNumber() const { return !isMissing() && !_value.isBoolean() && _value.isNumeric(); }
    /// `object`, `array`, `string`, `number`, `boolean` or `missing`.
    std::string typeName() const;

    JsonField operator[](const std::string& key) const;
    JsonField operator[](std::size_t index) const;
    /// The number of elements of an array; 0 for anything else.
    std::size_t size() const;
    /// The member names of an object, sorted; empty for anything else.
    std::vector<std::string> keys() const;

    /// Throws PayloadError unless this is an object.
    void requireObject() const;
    /// Throws PayloadError unless this is an array.
    void requireArray() const;
    /// The string; PayloadError when missing or not a string.
    std::string string() const;
    /// The string, or `fallback` when missing; PayloadError when not a string.
    std::string stringOr(const std::string& fallback) const;
    /// The string, or an empty one for anything else; never throws. For
    /// optional ids whose wrong type should not cost the event.
    std::string stringOrEmpty() const { return isString() ? string() : std::string(); }
    /// The number; PayloadError when missing or not a number.
    double number() const;

private:
    JsonField(Poco::Dynamic::Var value, std::string path);
    JsonField child(Poco::Dynamic::Var value, const std::string& childPath,
                    const std::string& container) const;
    [[noreturn]] void fail(const std::string& expected) const;

    Poco::Dynamic::Var _value;
    std::string _path;
    std::string _brokenPath;    ///< where an ancestor was missing or of the wrong type
    std::string _brokenProblem; ///< empty when nothing above is broken
    bool _brokenByMissing = false;
};

} // namespace wiretap::events
