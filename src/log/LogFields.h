#pragma once

#include <Poco/Logger.h>
#include <Poco/Message.h>

#include <string>
#include <utility>
#include <vector>

namespace wiretap::log
{

/// One `Key=value` pair of a log line, in the order it was given.
struct Field
{
    std::string key;
    std::string value;
};

using Fields = std::vector<Field>;

/// Builds a message whose fields the wiretap formatters print as key=value.
/// Poco 1.11's Message cannot enumerate its parameters, so the ordered fields
/// travel in one parameter.
Poco::Message makeMessage(const std::string& source, Poco::Message::Priority priority,
                          const std::string& text, const Fields& fields);

/// The fields attached by makeMessage(), in order; empty for a plain message.
Fields fieldsOf(const Poco::Message& message);

/// A field's key as a formatter prints it: one that clashes with a key the formatter
/// writes itself (time, level, msg, and logger in JSON) gets logrus' "fields." prefix.
std::string fieldKey(const std::string& key, bool json);

/// Logs `text` with `fields`, then this thread's ScopedLogFields.
void write(Poco::Logger& logger, Poco::Message::Priority priority, const std::string& text,
           const Fields& fields);

inline void info(Poco::Logger& logger, const std::string& text, const Fields& fields = {})
{
    write(logger, Poco::Message::PRIO_INFORMATION, text, fields);
}
inline void warning(Poco::Logger& logger, const std::string& text, const Fields& fields = {})
{
    write(logger, Poco::Message::PRIO_WARNING, text, fields);
}
inline void error(Poco::Logger& logger, const std::string& text, const Fields& fields = {})
{
    write(logger, Poco::Message::PRIO_ERROR, text, fields);
}
inline void debug(Poco::Logger& logger, const std::string& text, const Fields& fields = {})
{
    write(logger, Poco::Message::PRIO_DEBUG, text, fields);
}

} // namespace wiretap::log
