#pragma once

#include <stdexcept>
#include <string>

namespace wiretap::events
{

/// An image reference, tag or digest that does not follow Docker's grammar.
/// The message quotes the (shortened) text and says what is wrong with it.
class ReferenceError : public std::runtime_error
{
public:
    ReferenceError(const std::string& text, const std::string& problem);

    const std::string& text() const { return _text; }
    const std::string& problem() const { return _problem; }

private:
    std::string _text;
    std::string _problem;
};

} // namespace wiretap::events
