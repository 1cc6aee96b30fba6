#include "config/EnvironmentLayer.h"

namespace wiretap::config
{

Poco::AutoPtr<Poco::Util::MapConfiguration> environmentLayer(const std::map<std::string, std::string>& env)
{
    Poco::AutoPtr<Poco::Util::MapConfiguration> layer(new Poco::Util::MapConfiguration);
    const auto token = env.find("TOKEN");
    if (token != env.end() && !token->second.empty())
        layer->setString("wiretap.token", token->second);
    return layer;
}

} // namespace wiretap::config
