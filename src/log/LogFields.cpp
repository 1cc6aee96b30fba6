#include "log/LogFields.h"

#include "log/ScopedLogFields.h"

namespace wiretap::log
{
namespace
{
const std::string kFieldsParam = "wiretap.fields";
constexpr char kKeyEnd = '\x1f';   // ASCII unit separator
constexpr char kFieldEnd = '\x1e'; // ASCII record separator

std::string encode(const Fields& fields)
{
    std::string out;
    for (const auto& field : fields)
    {
        out += field.key;
        out += kKeyEnd;
        out += field.value;
        out += kFieldEnd;
    }
    return out;
}
} // namespace

Poco::Message makeMessage(const std::string& source, Poco::Message::Priority priority,
                          const std::string& text, const Fields& fields)
{
    Poco::Message message(source, text, priority);
    if (!fields.empty())
        message.set(kFieldsParam, encode(fields));
    return message;
}

Fields fieldsOf(const Poco::Message& message)
{
    Fields fields;
    if (!message.has(kFieldsParam))
        return fields;
    const std::string& encoded = message.get(kFieldsParam);
    std::string::size_type pos = 0;
    while (pos < encoded.size())
    {
        const auto keyEnd = encoded.find(kKeyEnd, pos);
        const auto fieldEnd = encoded.find(kFieldEnd, pos);
        if (keyEnd == std::string::npos || fieldEnd == std::string::npos || keyEnd > fieldEnd)
            break;
        fields.push_back(
            {encoded.substr(pos, keyEnd - pos), encoded.substr(keyEnd + 1, fieldEnd - keyEnd - 1)});
        pos = fieldEnd + 1;
    }
    return fields;
}

std::string fieldKey(const std::string& key, bool json)
{
    if (key == "time" || key == "level" || key == "msg" || (json && key == "logger"))
        return "fields." + key;
    return key;
}

void write(Poco::Logger& logger, Poco::Message::Priority priority, const std::string& text,
           const Fields& fields)
{
    if (!logger.is(priority))
        return;
    const Fields& scoped = ScopedLogFields::current();
    if (scoped.empty())
    {
        logger.log(makeMessage(logger.name(), priority, text, fields));
        return;
    }
    Fields all = fields;
    all.insert(all.end(), scoped.begin(), scoped.end());
    logger.log(makeMessage(logger.name(), priority, text, all));
}

} // namespace wiretap::log
