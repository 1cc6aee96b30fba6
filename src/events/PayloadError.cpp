#include "events/PayloadError.h"

namespace wiretap::events
{

PayloadError::PayloadError(const std::string& field, const std::string& problem)
    : std::runtime_error(field.empty() ? problem : field + ": " + problem), _field(field), _problem(problem)
{
}

} // namespace wiretap::events
