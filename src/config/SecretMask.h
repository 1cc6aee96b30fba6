#pragma once

#include <string>

namespace wiretap::config
{

/// What --check-config prints instead of a secret.
inline constexpr const char* kMasked = "********";

/// True for keys whose value is a secret: the last name segment mentions a token,
/// secret, password, HMAC key, API key or credential (wiretap.token, hooks.github.token).
bool isSecretKey(const std::string& key);

/// `value` fit to print: a secret key's value becomes kMasked (empty stays empty); a URL
/// keeps its scheme, host, port and path but loses its password, its query values and
/// path segments that look like generated secrets (Slack's and Discord's webhook URLs).
std::string maskedValue(const std::string& key, const std::string& value);

/// A URL with its credentials masked as maskedValue() does; other text unchanged.
std::string maskUrlCredentials(const std::string& value);

} // namespace wiretap::config
