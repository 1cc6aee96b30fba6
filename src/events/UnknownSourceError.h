#pragma once

#include <stdexcept>
#include <string>

namespace wiretap::events
{

/// `/hooks/<source>` named no parser. Not a bad body: the URL is wrong (404).
class UnknownSourceError : public std::runtime_error
{
public:
    UnknownSourceError(const std::string& source, const std::string& known);

    const std::string& source() const { return _source; }

private:
    std::string _source;
};

} // namespace wiretap::events
