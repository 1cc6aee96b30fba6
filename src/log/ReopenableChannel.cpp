#include "log/ReopenableChannel.h"

#include <mutex>

namespace wiretap::log
{

ReopenableChannel::ReopenableChannel(Poco::Channel::Ptr file) : _file(std::move(file)) {}

void ReopenableChannel::log(const Poco::Message& message)
{
    std::shared_lock<std::shared_mutex> lock(_mutex);
    _file->log(message);
}

void ReopenableChannel::open()
{
    std::unique_lock<std::shared_mutex> lock(_mutex);
    _file->open();
}

void ReopenableChannel::close()
{
    std::unique_lock<std::shared_mutex> lock(_mutex);
    _file->close();
}

void ReopenableChannel::setProperty(const std::string& name, const std::string& value)
{
    std::unique_lock<std::shared_mutex> lock(_mutex);
    _file->setProperty(name, value);
}

std::string ReopenableChannel::getProperty(const std::string& name) const
{
    std::shared_lock<std::shared_mutex> lock(_mutex);
    return _file->getProperty(name);
}

void ReopenableChannel::reopen()
{
    std::unique_lock<std::shared_mutex> lock(_mutex);
    _file->close();
    _file->open();
}

} // namespace wiretap::log
