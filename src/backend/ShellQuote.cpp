#include "backend/ShellQuote.h"

namespace wiretap::backend
{

std::string shellQuote(const std::string& word)
{
    bool safe = !word.empty();
    for (const char c : word)
    {
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && std::string("@%+=:,./_-").find(c) == std::string::npos)
            safe = false;
    }
    if (safe)
        return word;
    std::string quoted = "'";
    for (const char c : word)
    {
        if (c == '\'')
            quoted += "'\\''";
        else
            quoted += c;
    }
    return quoted + "'";
}

std::string shellJoin(const std::vector<std::string>& words)
{
    std::string line;
    for (const auto& word : words)
    {
        if (!line.empty())
            line += ' ';
        line += shellQuote(word);
    }
    return line;
}

} // namespace wiretap::backend
