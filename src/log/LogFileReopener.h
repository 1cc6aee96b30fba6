#pragma once

#include "log/ReopenableChannel.h"

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace wiretap::log
{

/// Finds the log files Poco's logging configuration opened and reopens them on request
/// (SIGHUP). adopt() wraps every FileChannel and SimpleFileChannel reachable from a
/// logger or a named channel (through FormattingChannel, AsyncChannel and
/// SplitterChannel) in a ReopenableChannel, in place.
class LogFileReopener
{
public:
    /// `channelNames` are the `logging.channels.*` names. Call once logging is
    /// configured, before other threads log.
    void adopt(const std::vector<std::string>& channelNames);
    /// Reopens every adopted file; returns how many.
    std::size_t reopen();
    std::size_t size() const { return _wrappers.size(); }

private:
    Poco::Channel::Ptr wrap(Poco::Channel::Ptr channel);
    void rewireSplitter(Poco::Channel::Ptr channel);

    std::map<Poco::Channel*, Poco::AutoPtr<ReopenableChannel>> _wrappers; ///< file channel -> wrapper
};

} // namespace wiretap::log
