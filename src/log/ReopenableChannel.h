#pragma once

#include <Poco/Channel.h>

#include <shared_mutex>
#include <string>

namespace wiretap::log
{

/// A FileChannel (or SimpleFileChannel) that can be reopened while other threads log.
/// Poco 1.11's FileChannel::log() opens the file and then takes its lock in a second
/// step, so a plain close() from another thread in between would leave it writing to a
/// deleted LogFile. Here log() holds a shared lock and reopen() an exclusive one.
class ReopenableChannel : public Poco::Channel
{
public:
    explicit ReopenableChannel(Poco::Channel::Ptr file);

    void log(const Poco::Message& message) override;
    void open() override;
    void close() override;
    void setProperty(const std::string& name, const std::string& value) override;
    std::string getProperty(const std::string& name) const override;

    /// Closes the file and opens the configured path again: after a rename (logrotate
    /// without copytruncate) the next line goes to a new file at the original path.
    void reopen();
    Poco::Channel::Ptr wrapped() const { return _file; }

protected:
    ~ReopenableChannel() override = default;

private:
    Poco::Channel::Ptr _file;
    mutable std::shared_mutex _mutex;
};

} // namespace wiretap::log
