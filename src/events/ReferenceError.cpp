#include "events/ReferenceError.h"
#include "events/Quote.h"

namespace wiretap::events
{

ReferenceError::ReferenceError(const std::string& text, const std::string& problem)
    : std::runtime_error("invalid image reference " + quote(text) + ": " + problem), _text(text),
      _problem(problem)
{
}

} // namespace wiretap::events
