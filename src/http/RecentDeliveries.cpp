#include "http/RecentDeliveries.h"

namespace wiretap::http
{

bool RecentDeliveries::firstTime(const std::string& key)
{
    std::lock_guard<std::mutex> lock(_mutex);
    if (!_seen.insert(key).second)
        return false;
    _order.push_back(key);
    while (_order.size() > _capacity)
    {
        _seen.erase(_order.front());
        _order.pop_front();
    }
    return true;
}

} // namespace wiretap::http
