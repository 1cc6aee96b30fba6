#include "events/ReferenceGrammar.h"
#include "events/Quote.h"

#include <cctype>

namespace wiretap::events
{
namespace
{
bool isLowerAlnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool isAlnum(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

bool isLowerHex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

bool isHex(char c)
{
    return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}

bool isWord(char c)
{
    return isAlnum(c) || c == '_';
}

bool allDigits(const std::string& text)
{
    if (text.empty())
        return false;
    for (const char c : text)
    {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

/// A DNS label: letters and digits, with inner `-`.
bool isDomainComponent(const std::string& label)
{
    if (label.empty() || !isAlnum(label.front()) || !isAlnum(label.back()))
        return false;
    for (const char c : label)
    {
        if (!isAlnum(c) && c != '-')
            return false;
    }
    return true;
}

bool isDomainName(const std::string& host)
{
    std::string::size_type start = 0;
    while (true)
    {
        const auto dot = host.find('.', start);
        if (!isDomainComponent(
                host.substr(start, dot == std::string::npos ? std::string::npos : dot - start)))
            return false;
        if (dot == std::string::npos)
            return true;
        start = dot + 1;
    }
}

/// `[a-z0-9]+ (separator [a-z0-9]+)*` with separator `.`, `_`, `__` or `-+`.
bool isPathComponent(const std::string& component)
{
    std::size_t i = 0;
    const std::size_t n = component.size();
    while (true)
    {
        const std::size_t runStart = i;
        while (i < n && isLowerAlnum(component[i]))
            ++i;
        if (i == runStart)
            return false;
        if (i == n)
            return true;
        if (component[i] == '.')
            ++i;
        else if (component[i] == '_')
            i += (i + 1 < n && component[i + 1] == '_') ? 2 : 1;
        else if (component[i] == '-')
            while (i < n && component[i] == '-')
                ++i;
        else
            return false;
    }
}

/// `[A-Za-z][A-Za-z0-9]*` components joined by `+`, `.`, `_` or `-`.
bool isDigestAlgorithm(const std::string& algorithm)
{
    bool atComponentStart = true;
    for (const char c : algorithm)
    {
        if (atComponentStart)
        {
            if (!std::isalpha(static_cast<unsigned char>(c)))
                return false;
            atComponentStart = false;
        }
        else if (c == '+' || c == '.' || c == '_' || c == '-')
        {
            atComponentStart = true;
        }
        else if (!isAlnum(c))
        {
            return false;
        }
    }
    return !algorithm.empty() && !atComponentStart;
}

std::size_t hexLengthOf(const std::string& algorithm)
{
    if (algorithm == "sha256")
        return 64;
    if (algorithm == "sha384")
        return 96;
    if (algorithm == "sha512")
        return 128;
    return 0;
}
} // namespace

std::string ReferenceGrammar::domainProblem(const std::string& domain)
{
    const std::string invalid = "registry host " + quote(domain) +
                                " is not a DNS name, IPv4 address or "
                                "[IPv6] address with an optional :port";
    if (domain.empty())
        return "registry host is empty";
    std::string host = domain;
    std::string port;
    if (domain.front() == '[')
    {
        const auto close = domain.find(']');
        if (close == std::string::npos || close == 1)
            return invalid;
        for (std::size_t i = 1; i < close; ++i)
        {
            if (!isHex(domain[i]) && domain[i] != ':')
                return invalid;
        }
        if (close + 1 < domain.size())
        {
            if (domain[close + 1] != ':')
                return invalid;
            port = domain.substr(close + 2);
            if (!allDigits(port))
                return invalid;
        }
        return "";
    }
    const auto colon = domain.find(':');
    if (colon != std::string::npos)
    {
        host = domain.substr(0, colon);
        port = domain.substr(colon + 1);
        if (!allDigits(port))
            return invalid;
    }
    return isDomainName(host) ? "" : invalid;
}

std::string ReferenceGrammar::pathProblem(const std::string& path)
{
    if (path.empty())
        return "repository path is empty";
    if (path.size() > kMaxPathLength)
        return "repository path is longer than " + std::to_string(kMaxPathLength) + " characters (" +
               std::to_string(path.size()) + ")";
    std::string::size_type start = 0;
    while (true)
    {
        const auto slash = path.find('/', start);
        const std::string component =
            path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
        if (!isPathComponent(component))
        {
            for (const char c : component)
            {
                if (std::isupper(static_cast<unsigned char>(c)))
                    return "repository path must be lower case";
            }
            return "repository path component " + quote(component) +
                   " is not lower-case letters and digits joined by '.', '_', '__' or '-'";
        }
        if (slash == std::string::npos)
            return "";
        start = slash + 1;
    }
}

std::string ReferenceGrammar::tagProblem(const std::string& tag)
{
    if (tag.empty())
        return "tag is empty";
    if (tag.size() > kMaxTagLength)
        return "tag is longer than " + std::to_string(kMaxTagLength) + " characters (" +
               std::to_string(tag.size()) + ")";
    bool valid = isWord(tag.front());
    for (const char c : tag)
        valid = valid && (isWord(c) || c == '.' || c == '-');
    if (!valid)
        return "tag " + quote(tag) +
               " is not letters, digits, '_', '.' and '-' (not starting with '.' or '-')";
    return "";
}

std::string ReferenceGrammar::digestProblem(const std::string& digest)
{
    const auto colon = digest.find(':');
    if (colon == std::string::npos || !isDigestAlgorithm(digest.substr(0, colon)))
        return "digest " + quote(digest) + " is not algorithm:hex";
    const std::string algorithm = digest.substr(0, colon);
    const std::string hex = digest.substr(colon + 1);
    const std::size_t expected = hexLengthOf(algorithm);
    if (expected == 0)
        return "digest " + quote(digest) + " uses an unsupported algorithm (sha256, sha384 or sha512)";
    bool lowerHex = hex.size() == expected;
    for (const char c : hex)
        lowerHex = lowerHex && isLowerHex(c);
    if (!lowerHex)
        return "digest " + quote(digest) + " is invalid: " + algorithm + " needs exactly " +
               std::to_string(expected) + " lower-case hex digits";
    return "";
}

bool ReferenceGrammar::looksLikeDomain(const std::string& segment)
{
    if (segment == "localhost" || segment.find_first_of(".:") != std::string::npos)
        return true;
    for (const char c : segment)
    {
        if (std::isupper(static_cast<unsigned char>(c)))
            return true;
    }
    return false;
}

bool ReferenceGrammar::isImageId(const std::string& text)
{
    if (text.size() != 64)
        return false;
    for (const char c : text)
    {
        if (!isLowerHex(c))
            return false;
    }
    return true;
}

} // namespace wiretap::events
