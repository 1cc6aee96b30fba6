#include "events/FormField.h"
#include "events/PayloadError.h"
#include "events/Quote.h"

#include <cctype>
#include <optional>

namespace wiretap::events
{
namespace
{
int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower >= 'a' && lower <= 'f')
        return lower - 'a' + 10;
    return -1;
}

/// body[begin, end) decoded: one name or value of the form.
std::string decode(const std::string& body, std::string::size_type begin, std::string::size_type end)
{
    std::string out;
    out.reserve(end - begin);
    for (auto i = begin; i < end; ++i)
    {
        const char c = body[i];
        if (c == '+')
            out += ' ';
        else if (c != '%')
            out += c;
        else
        {
            const int high = i + 1 < end ? hexValue(body[i + 1]) : -1;
            const int low = i + 2 < end ? hexValue(body[i + 2]) : -1;
            if (high < 0 || low < 0)
                throw PayloadError("", "form body has a bad percent-encoding at byte " + std::to_string(i) +
                                           ": " + quote(body.substr(i, 3)));
            out += static_cast<char>(high * 16 + low);
            i += 2;
        }
    }
    return out;
}
} // namespace

std::string formField(const std::string& body, const std::string& name)
{
    std::optional<std::string> value;
    std::string::size_type start = 0;
    while (start <= body.size())
    {
        auto end = body.find('&', start);
        if (end == std::string::npos)
            end = body.size();
        const auto equals = body.find('=', start);
        const auto nameEnd = equals < end ? equals : end;
        if (end > start && decode(body, start, nameEnd) == name)
        {
            if (value)
                throw PayloadError("", "form body has the field " + quote(name) + " more than once");
            value = nameEnd < end ? decode(body, nameEnd + 1, end) : std::string();
        }
        else if (end > start)
            decode(body, nameEnd, end); // every field must be well encoded, also the ones not used
        start = end + 1;
    }
    if (!value)
        throw PayloadError("", "form body has no field " + quote(name));
    return *value;
}

} // namespace wiretap::events
