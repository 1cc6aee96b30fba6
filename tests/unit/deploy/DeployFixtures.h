#pragma once

#include "deploy/DeployRequest.h"
#include "events/ImageEvent.h"

#include <Poco/Timestamp.h>

#include <string>

namespace wiretap::deploy::fixtures
{

/// The image the deploy tests push, and the ids it has before and after the push.
inline const std::string kOld = "sha256:" + std::string(64, 'a');
inline const std::string kNew = "sha256:" + std::string(64, 'b');
inline const std::string kImage = "demo/hello-world-app";

/// A deploy of docker.io/demo/hello-world-app:latest, id "d1".
inline DeployRequest request()
{
    events::ImageEvent event;
    event.registry = "docker.io";
    event.repository = kImage;
    event.tag = "latest";
    return DeployRequest{"d1", "docker.io/" + kImage + ":latest", {event}, Poco::Timestamp()};
}

} // namespace wiretap::deploy::fixtures
