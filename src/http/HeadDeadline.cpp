#include "http/HeadDeadline.h"

#include <Poco/Net/SocketAddress.h>

#include <vector>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace wiretap::http
{
namespace
{
/// How often the watchdog looks: a head is cut at most this much after its deadline.
constexpr std::chrono::milliseconds kTick(100);

/// The connection this thread serves (set by HeadDeadline::Connection).
thread_local HeadDeadline::Connection* current = nullptr;

std::chrono::steady_clock::duration toDuration(Poco::Timespan span)
{
    return std::chrono::microseconds(span.totalMicroseconds());
}

std::string peerOf(int fd)
{
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
        return "unknown";
    try
    {
        return Poco::Net::SocketAddress(reinterpret_cast<const sockaddr*>(&address), length).toString();
    }
    catch (const Poco::Exception&)
    {
        return "unknown";
    }
}
} // namespace

HeadDeadline::HeadDeadline(Poco::Timespan headTimeout, Poco::Timespan keepAliveTimeout, Expired expired)
    : _headTimeout(headTimeout), _head(toDuration(headTimeout)),
      _nextHead(toDuration(keepAliveTimeout + headTimeout)), _expired(std::move(expired))
{
    _thread = std::thread([this] { run(); });
}

HeadDeadline::~HeadDeadline()
{
    {
        const std::lock_guard<std::mutex> lock(_mutex);
        _stopping = true;
    }
    _wake.notify_one();
    _thread.join();
}

HeadDeadline::Connection::Connection(HeadDeadline& watchdog, const Poco::Net::StreamSocket& socket)
    : _watchdog(watchdog), _fd(::fcntl(socket.impl()->sockfd(), F_DUPFD_CLOEXEC, 0))
{
    current = this;
    // Without a descriptor (none left) the connection is served as before, without a deadline.
    if (_fd < 0)
        return;
    _due = Clock::now() + _watchdog._head;
    const std::lock_guard<std::mutex> lock(_watchdog._mutex);
    _watchdog._connections.insert(this);
}

HeadDeadline::Connection::~Connection()
{
    current = nullptr;
    if (_fd < 0)
        return;
    {
        const std::lock_guard<std::mutex> lock(_watchdog._mutex);
        _watchdog._connections.erase(this);
    }
    ::close(_fd);
}

void HeadDeadline::headParsed()
{
    if (current != nullptr && current->_fd >= 0)
        current->_watchdog.arm(*current, Clock::time_point::max());
}

void HeadDeadline::answered()
{
    if (current != nullptr && current->_fd >= 0)
        current->_watchdog.arm(*current, Clock::now() + current->_watchdog._nextHead);
}

void HeadDeadline::arm(Connection& connection, Clock::time_point due)
{
    const std::lock_guard<std::mutex> lock(_mutex);
    connection._due = due;
}

void HeadDeadline::run()
{
    std::unique_lock<std::mutex> lock(_mutex);
    while (!_stopping)
    {
        _wake.wait_for(lock, kTick);
        const auto now = Clock::now();
        std::vector<std::string> expired;
        for (Connection* connection : _connections)
        {
            if (connection->_due > now)
                continue;
            connection->_due = Clock::time_point::max();
            expired.push_back(peerOf(connection->_fd));
            // Wakes the connection's thread, blocked in a receive or a poll: end-of-file.
            ::shutdown(connection->_fd, SHUT_RDWR);
        }
        if (expired.empty())
            continue;
        lock.unlock();
        for (const auto& remote : expired)
        {
            try
            {
                _expired(remote);
            }
            catch (...)
            {
                // Reporting must not end the watchdog (or the process, from its thread).
            }
        }
        lock.lock();
    }
}

} // namespace wiretap::http
