#pragma once

#include "events/ImageEvent.h"

#include <Poco/Timestamp.h>

#include <string>
#include <vector>

namespace wiretap::deploy
{

/// One deploy of one image (registry/repository:tag), with every event that
/// was merged into it while it waited.
struct DeployRequest
{
    std::string id;
    std::string key; ///< deployKey() of its events
    std::vector<events::ImageEvent> events;
    Poco::Timestamp queuedAt;
};

/// What makes two events "the same image": lower-cased registry host,
/// repository path and tag. Digests are not part of it: a newer push of the
/// same tag merges into the same deploy.
std::string deployKey(const events::ImageEvent& event);

} // namespace wiretap::deploy
