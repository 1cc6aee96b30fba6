#include "events/UnknownSourceError.h"
#include "events/Quote.h"

namespace wiretap::events
{

UnknownSourceError::UnknownSourceError(const std::string& source, const std::string& known)
    : std::runtime_error("unknown webhook source " + quote(source) + " (known: " + known + ")"),
      _source(source)
{
}

} // namespace wiretap::events
