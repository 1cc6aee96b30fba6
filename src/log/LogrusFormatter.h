#pragma once

#include <Poco/Formatter.h>

#include <string>

namespace wiretap::log
{

/// Formats messages the way the original wiretap (Go, logrus) printed them:
///   time="2016-04-19T10:55:50Z" level=info msg="Pulling newer image" Image="jamiehannaford/hello-world-app"
/// Values are quoted unless they consist of letters, digits, '-' and '.' only
/// (logrus' rule of the time), so existing log parsers keep working.
class LogrusFormatter : public Poco::Formatter
{
public:
    void format(const Poco::Message& message, std::string& text) override;

    static std::string levelName(int priority);
    /// A value as logrus prints it: bare when safe, else double-quoted with escapes.
    static std::string quoteIfNeeded(const std::string& value);
};

} // namespace wiretap::log
