#include "events/Quote.h"

namespace wiretap::events
{

std::string printable(const std::string& text, std::size_t maxLength)
{
    static const char* const kHex = "0123456789abcdef";
    std::string out;
    for (const char c : text)
    {
        if (out.size() >= maxLength)
        {
            out += "...";
            break;
        }
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x20 && byte < 0x7f)
        {
            out += c;
        }
        else
        {
            out += "\\x";
            out += kHex[byte >> 4];
            out += kHex[byte & 0x0f];
        }
    }
    return out;
}

std::string quote(const std::string& text)
{
    return "'" + printable(text) + "'";
}

} // namespace wiretap::events
