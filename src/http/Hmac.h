#pragma once

#include <string>

namespace wiretap::http
{

/// Lower-case hex HMAC-SHA256 of `data` keyed with `key` (Poco::HMACEngine).
std::string hmacSha256Hex(const std::string& key, const std::string& data);

/// Compares two secrets in time that depends only on their lengths, never on
/// where they first differ.
bool constantTimeEquals(const std::string& a, const std::string& b);

} // namespace wiretap::http
