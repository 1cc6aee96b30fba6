#include "log/LogFileReopener.h"

#include <Poco/AsyncChannel.h>
#include <Poco/Exception.h>
#include <Poco/FileChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/LoggingRegistry.h>
#include <Poco/SimpleFileChannel.h>
#include <Poco/SplitterChannel.h>

namespace wiretap::log
{
namespace
{
Poco::Channel::Ptr namedChannel(const std::string& name)
{
    try
    {
        return Poco::LoggingRegistry::defaultRegistry().channelForName(name);
    }
    catch (const Poco::NotFoundException&)
    {
        return nullptr;
    }
}
} // namespace

Poco::Channel::Ptr LogFileReopener::wrap(Poco::Channel::Ptr channel)
{
    Poco::Channel* raw = channel.get();
    if (raw == nullptr || dynamic_cast<ReopenableChannel*>(raw) != nullptr)
        return channel;
    if (dynamic_cast<Poco::FileChannel*>(raw) != nullptr ||
        dynamic_cast<Poco::SimpleFileChannel*>(raw) != nullptr)
    {
        auto& wrapper = _wrappers[raw];
        if (!wrapper)
            wrapper = new ReopenableChannel(channel);
        return wrapper;
    }
    if (auto* formatting = dynamic_cast<Poco::FormattingChannel*>(raw))
    {
        const auto inner = formatting->getChannel();
        const auto replacement = wrap(inner);
        if (replacement != inner)
            formatting->setChannel(replacement);
    }
    else if (auto* async = dynamic_cast<Poco::AsyncChannel*>(raw))
    {
        const auto inner = async->getChannel();
        const auto replacement = wrap(inner);
        if (replacement != inner)
            async->setChannel(replacement);
    }
    return channel;
}

void LogFileReopener::rewireSplitter(Poco::Channel::Ptr channel)
{
    auto* splitter = dynamic_cast<Poco::SplitterChannel*>(channel.get());
    if (splitter == nullptr)
        return;
    // A SplitterChannel cannot list its members: swap each known file for its wrapper.
    for (auto& [file, wrapper] : _wrappers)
    {
        const int before = splitter->count();
        splitter->removeChannel(Poco::Channel::Ptr(file, true));
        if (splitter->count() < before)
            splitter->addChannel(wrapper);
    }
}

void LogFileReopener::adopt(const std::vector<std::string>& channelNames)
{
    std::vector<Poco::Channel::Ptr> seen;
    for (const auto& name : channelNames)
    {
        const auto channel = namedChannel(name);
        const auto replacement = wrap(channel);
        if (replacement != channel)
            Poco::LoggingRegistry::defaultRegistry().registerChannel(name, replacement);
        seen.push_back(replacement);
    }
    std::vector<std::string> loggers;
    Poco::Logger::names(loggers);
    for (const auto& name : loggers)
    {
        auto& logger = Poco::Logger::get(name);
        const auto channel = logger.getChannel();
        const auto replacement = wrap(channel);
        if (replacement != channel)
            logger.setChannel(replacement);
        seen.push_back(replacement);
    }
    for (const auto& channel : seen)
        rewireSplitter(channel);
}

std::size_t LogFileReopener::reopen()
{
    for (auto& entry : _wrappers)
        entry.second->reopen();
    return _wrappers.size();
}

} // namespace wiretap::log
