#pragma once

#include <string>

namespace wiretap::events
{

/// `text` safe for a log line or an error message: printable ASCII is kept,
/// every other byte becomes `\xNN`, and anything past `maxLength` characters
/// is cut and marked with `...`. Payload strings can be huge or binary.
std::string printable(const std::string& text, std::size_t maxLength = 80);

/// printable(text) in single quotes: `'sha256:xxxx'`.
std::string quote(const std::string& text);

} // namespace wiretap::events
