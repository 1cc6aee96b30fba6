#include "config/SecretMask.h"

#include <Poco/String.h>

#include <cctype>

namespace wiretap::config
{
namespace
{
/// A path segment that reads like a generated secret rather than a name.
bool looksGenerated(const std::string& segment)
{
    if (segment.size() < 16)
        return false;
    bool letter = false;
    bool digit = false;
    for (const char ch : segment)
    {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalpha(c))
            letter = true;
        else if (std::isdigit(c))
            digit = true;
        else if (ch != '-' && ch != '_')
            return false;
    }
    return letter && digit;
}

std::string maskPath(const std::string& path)
{
    std::string out;
    std::string::size_type pos = 0;
    while (pos <= path.size())
    {
        const auto slash = path.find('/', pos);
        const std::string segment =
            path.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos);
        out += looksGenerated(segment) ? std::string(kMasked) : segment;
        if (slash == std::string::npos)
            break;
        out += '/';
        pos = slash + 1;
    }
    return out;
}

std::string maskQuery(const std::string& query)
{
    std::string out;
    std::string::size_type pos = 0;
    while (pos <= query.size())
    {
        const auto amp = query.find('&', pos);
        const std::string pair = query.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
        const auto equals = pair.find('=');
        out += equals == std::string::npos ? pair : pair.substr(0, equals + 1) + kMasked;
        if (amp == std::string::npos)
            break;
        out += '&';
        pos = amp + 1;
    }
    return out;
}
} // namespace

bool isSecretKey(const std::string& key)
{
    const std::string last =
        Poco::toLower(key.substr(key.rfind('.') == std::string::npos ? 0 : key.rfind('.') + 1));
    for (const char* word : {"token", "secret", "password", "passwd", "hmac", "apikey", "credential"})
        if (last.find(word) != std::string::npos)
            return true;
    return false;
}

std::string maskUrlCredentials(const std::string& value)
{
    const auto schemeEnd = value.find("://");
    if (schemeEnd == std::string::npos)
        return value;
    const auto authorityStart = schemeEnd + 3;
    const auto authorityEnd = value.find_first_of("/?#", authorityStart);
    std::string authority =
        value.substr(authorityStart,
                     authorityEnd == std::string::npos ? std::string::npos : authorityEnd - authorityStart);
    const auto at = authority.rfind('@');
    if (at != std::string::npos)
    {
        const auto colon = authority.find(':');
        const std::string user =
            colon != std::string::npos && colon < at ? authority.substr(0, colon) + ":" : "";
        authority = user + kMasked + authority.substr(at);
    }
    std::string out = value.substr(0, authorityStart) + authority;
    if (authorityEnd == std::string::npos)
        return out;
    std::string rest = value.substr(authorityEnd);
    const auto fragment = rest.find('#');
    const bool hasFragment = fragment != std::string::npos;
    if (hasFragment)
        rest.erase(fragment);
    const auto question = rest.find('?');
    out += maskPath(rest.substr(0, question));
    if (question != std::string::npos)
        out += "?" + maskQuery(rest.substr(question + 1));
    if (hasFragment)
        out += std::string("#") + kMasked;
    return out;
}

std::string maskedValue(const std::string& key, const std::string& value)
{
    if (value.empty())
        return value;
    if (isSecretKey(key))
        return kMasked;
    return maskUrlCredentials(value);
}

} // namespace wiretap::config
