#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Util/LoggingConfigurator.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <sstream>
#include <string>

namespace wiretap::log
{

/// Applies `properties` (logging.* lines in Poco's properties format) as Poco's
/// LoggingSubsystem would.
inline void configurePocoLogging(const std::string& properties)
{
    std::istringstream in(properties);
    Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> config(
        new Poco::Util::PropertyFileConfiguration(in));
    Poco::Util::LoggingConfigurator().configure(config);
}

} // namespace wiretap::log
