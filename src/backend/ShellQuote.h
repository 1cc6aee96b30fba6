#pragma once

#include <string>
#include <vector>

namespace wiretap::backend
{

/// POSIX shell quoting: a word made only of safe characters stays as it is, anything else is
/// put in single quotes with each `'` written as `'\''`. Safe for any byte sequence.
std::string shellQuote(const std::string& word);

/// The words quoted and joined by single spaces.
std::string shellJoin(const std::vector<std::string>& words);

} // namespace wiretap::backend
