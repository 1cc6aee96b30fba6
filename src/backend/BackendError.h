#pragma once

#include <stdexcept>
#include <string>

namespace wiretap::backend
{

/// Something wiretap asked of the container engine did not happen: a failed or timed-out
/// docker call, a container that never became healthy, an inspect answer that cannot be read.
class BackendError : public std::runtime_error
{
public:
    explicit BackendError(const std::string& message);
};

} // namespace wiretap::backend
