#pragma once

#include <Poco/Timespan.h>
#include <Poco/Util/AbstractConfiguration.h>

#include <cstddef>
#include <map>
#include <string>

namespace wiretap::config
{

/// How webhooks are let in: secrets (`wiretap.token`, from TOKEN like the
/// original; `hooks.<source>.token` per sender) and request limits.
struct IntakeSettings
{
    std::string token;
    std::map<std::string, std::string> sourceTokens; ///< source name -> token
    /// `wiretap.apiToken`: the token for GET /v1/deployments, so a dashboard can read deploy
    /// reports without a secret that triggers deploys. Defaults to `token`.
    std::string apiToken;
    bool allowUnauthenticated = false;
    std::size_t maxBodyBytes = 1024 * 1024;
    Poco::Timespan bodyTimeout = Poco::Timespan(10, 0);
    std::size_t rememberedDeliveries = 10000;

    /// Throws ConfigError; also when no token is set and
    /// `wiretap.allowUnauthenticated` is not true.
    static IntakeSettings fromConfig(const Poco::Util::AbstractConfiguration& config);
};

} // namespace wiretap::config
