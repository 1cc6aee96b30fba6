#pragma once

#include <stdexcept>
#include <string>

namespace wiretap::events
{

/// A webhook body that cannot be used at all: not JSON, no known format, or a
/// single-image format naming an invalid image. The HTTP layer answers 400.
/// The message starts with the JSON field path when there is one:
/// `push_data.tag: expected a string, got number`.
class PayloadError : public std::runtime_error
{
public:
    PayloadError(const std::string& field, const std::string& problem);

    /// The JSON path of the offending field (`events[2].target.tag`); empty for the whole body.
    const std::string& field() const { return _field; }
    const std::string& problem() const { return _problem; }

private:
    std::string _field;
    std::string _problem;
};

} // namespace wiretap::events
