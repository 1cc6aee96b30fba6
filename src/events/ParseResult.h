#pragma once

#include "events/ImageEvent.h"

#include <string>
#include <vector>

namespace wiretap::events
{

/// What one webhook request yielded: the pushed images to act on, and why
/// everything else in it was ignored. Ignoring is not an error: the sender
/// gets a 2xx (a distribution registry would otherwise retry forever).
struct ParseResult
{
    static constexpr std::size_t kMaxIgnored = 100;
    static constexpr std::size_t kMaxDeliveryIds = 100;

    std::string format; ///< the parser's name(), e.g. `registry`
    std::vector<ImageEvent> events;
    /// One line per ignored event, tag or field, naming it and why:
    /// `events[1]: pull, not a push`. At most kMaxIgnored; the rest are counted in `omitted`.
    std::vector<std::string> ignored;
    std::size_t omitted = 0;
    /// The sender's delivery or event ids found in the request, in order, at
    /// most kMaxDeliveryIds (each event also carries its own).
    std::vector<std::string> deliveryIds;

    void ignore(std::string reason);
    /// Adds a non-empty id that is not there yet, while there is room.
    void addDeliveryId(const std::string& id);
};

} // namespace wiretap::events
