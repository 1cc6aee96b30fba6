#include "events/ParseResult.h"

#include <algorithm>

namespace wiretap::events
{

void ParseResult::ignore(std::string reason)
{
    if (ignored.size() < kMaxIgnored)
        ignored.push_back(std::move(reason));
    else
        ++omitted;
}

void ParseResult::addDeliveryId(const std::string& id)
{
    if (!id.empty() && deliveryIds.size() < kMaxDeliveryIds &&
        std::find(deliveryIds.begin(), deliveryIds.end(), id) == deliveryIds.end())
        deliveryIds.push_back(id);
}

} // namespace wiretap::events
