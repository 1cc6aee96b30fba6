#pragma once

#include <string>

namespace wiretap::events
{

/// The value of the field `name` in an `application/x-www-form-urlencoded`
/// body (`a=1&payload=%7B...%7D`): `+` is a space, `%XX` a byte. Strict, as a
/// webhook body should be: throws PayloadError when the field is missing or
/// given twice, or when a `%` is not followed by two hex digits anywhere in
/// the body. GitHub sends its JSON this way when a hook's content type is
/// the form one.
std::string formField(const std::string& body, const std::string& name);

} // namespace wiretap::events
