#pragma once

#include "backend/ContainerBackend.h"
#include "backend/ContainerSpec.h"

#include <ostream>
#include <string>

namespace wiretap::backend
{

/// One shell command line that recreates the container described by `spec` from its configured
/// image reference: `docker run -d --name=NAME [FLAGS...] IMAGE [ARGS...]`, followed by
/// ` && docker network connect [FLAGS...] NETWORK NAME` for each network after the first.
/// Every word is single-quoted when it is not plainly safe (see shellQuote), so the line is
/// safe to paste into sh/bash whatever bytes the configuration holds.
std::string renderRunCommand(const ContainerSpec& spec, const std::string& docker = "docker");

/// `wiretap --print-run=CONTAINER`: loads the container's spec through `backend` and writes
/// renderRunCommand's line and a newline to `out`. Returns 0; throws BackendError (DockerError)
/// when the container cannot be inspected.
int printRunCommand(ContainerBackend& backend, const std::string& container, std::ostream& out);

} // namespace wiretap::backend
