#pragma once

#include "events/EventSource.h"
#include "events/ImageReference.h"

#include <Poco/Timestamp.h>

#include <string>

namespace wiretap::events
{

/// One pushed tag, whatever registry reported it: the normalized result of a
/// webhook that the deployer acts on. Parsers only produce events whose parts
/// are valid, so reference() does not throw for them.
struct ImageEvent
{
    EventSource source = EventSource::Generic;
    std::string registry;   ///< host[:port], e.g. `docker.io`, `registry.example.com:5000`
    std::string repository; ///< the path, e.g. `library/ubuntu`
    std::string tag;
    std::string digest;      ///< `sha256:...`; empty when the sender did not give a valid one
    std::string deliveryId;  ///< the sender's id of the delivery or event; may be empty
    std::string callbackUrl; ///< Docker Hub's `callback_url`, for a completion notice; may be empty
    Poco::Timestamp receivedAt;

    /// `registry/repository:tag`; throws ReferenceError when the parts are invalid.
    ImageReference reference() const;
    /// reference() with the digest when there is one, for logs.
    std::string describe() const;
};

} // namespace wiretap::events
