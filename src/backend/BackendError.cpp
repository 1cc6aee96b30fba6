#include "backend/BackendError.h"

namespace wiretap::backend
{

BackendError::BackendError(const std::string& message) : std::runtime_error(message) {}

} // namespace wiretap::backend
