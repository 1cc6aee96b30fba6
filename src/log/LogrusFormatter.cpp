#include "log/LogrusFormatter.h"

#include "log/LogFields.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/Message.h>

#include <cstdio>

namespace wiretap::log
{
namespace
{
bool isBare(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
           ch == '.';
}

std::string quote(const std::string& value)
{
    std::string out = "\"";
    for (const char ch : value)
    {
        switch (ch)
        {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f)
            {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(ch));
                out += buf;
            }
            else
                out += ch;
        }
    }
    out += '"';
    return out;
}
} // namespace

std::string LogrusFormatter::levelName(int priority)
{
    switch (priority)
    {
    case Poco::Message::PRIO_FATAL:
        return "fatal";
    case Poco::Message::PRIO_CRITICAL:
    case Poco::Message::PRIO_ERROR:
        return "error";
    case Poco::Message::PRIO_WARNING:
        return "warning";
    case Poco::Message::PRIO_NOTICE:
    case Poco::Message::PRIO_INFORMATION:
        return "info";
    case Poco::Message::PRIO_DEBUG:
        return "debug";
    default:
        return "trace";
    }
}

std::string LogrusFormatter::quoteIfNeeded(const std::string& value)
{
    if (value.empty())
        return quote(value);
    for (const char ch : value)
        if (!isBare(ch))
            return quote(value);
    return value;
}

void LogrusFormatter::format(const Poco::Message& message, std::string& text)
{
    text = "time=\"";
    text += Poco::DateTimeFormatter::format(message.getTime(), "%Y-%m-%dT%H:%M:%SZ");
    text += "\" level=";
    text += levelName(message.getPriority());
    text += " msg=";
    text += quoteIfNeeded(message.getText()); // logrus quotes msg by the same rule as every value
    for (const auto& field : fieldsOf(message))
    {
        text += ' ';
        text += fieldKey(field.key, false);
        text += '=';
        text += quoteIfNeeded(field.value);
    }
}

} // namespace wiretap::log
