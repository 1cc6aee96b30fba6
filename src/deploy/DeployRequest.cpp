#include "deploy/DeployRequest.h"

#include <Poco/String.h>

namespace wiretap::deploy
{

std::string deployKey(const events::ImageEvent& event)
{
    return Poco::toLower(event.registry) + "/" + event.repository + ":" + event.tag;
}

} // namespace wiretap::deploy
