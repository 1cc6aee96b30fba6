#pragma once

#include "events/EventCollector.h"
#include "events/JsonField.h"

#include <string>

namespace wiretap::events
{

/// One event of the CNCF distribution notification format (which ACR sends
/// without the `{"events": [...]}` envelope). Only `push` of an image
/// manifest with a non-empty tag becomes an ImageEvent; the host comes from
/// `request.host`, the delivery id from `id`.
class DistributionEvent
{
public:
    /// Docker v2 manifest or manifest list, OCI manifest or index.
    static bool isManifestMediaType(const std::string& mediaType);

    /// Reads the event at `event` into `collector`; `where` starts its reasons.
    /// Throws PayloadError for fields of the wrong type (callers guard()).
    static void read(const JsonField& event, const std::string& where, EventCollector& collector);
};

} // namespace wiretap::events
