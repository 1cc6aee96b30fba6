#pragma once

#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace wiretap::http
{

/// A deadline for each request head (request line and headers). POCO's
/// HTTPServerConnection reads a head with only the per-receive timeout, so a
/// client sending a byte every few seconds would hold its worker thread for
/// ever (slowloris). One thread checks the connections being served, and shuts
/// down the socket of one whose head is overdue: POCO's blocked read returns
/// end-of-file and the connection closes without an answer.
class HeadDeadline
{
    using Clock = std::chrono::steady_clock;

public:
    /// Called on the watchdog's thread for each connection it shut down, with the client's address.
    using Expired = std::function<void(const std::string& remote)>;

    /// A head is due `headTimeout` after the server starts waiting for it. After an
    /// answer, the next one on the same connection is due `keepAliveTimeout` later
    /// still, since POCO first waits that long for it to begin.
    HeadDeadline(Poco::Timespan headTimeout, Poco::Timespan keepAliveTimeout, Expired expired);
    ~HeadDeadline();

    HeadDeadline(const HeadDeadline&) = delete;
    HeadDeadline& operator=(const HeadDeadline&) = delete;

    /// A connection while this thread serves it, its first head due from now. While it
    /// exists, headParsed() and answered() on this thread apply to it.
    class Connection
    {
    public:
        Connection(HeadDeadline& watchdog, const Poco::Net::StreamSocket& socket);
        ~Connection();

        Connection(const Connection&) = delete;
        Connection& operator=(const Connection&) = delete;

    private:
        friend class HeadDeadline;

        HeadDeadline& _watchdog;
        /// A duplicate of the socket's descriptor, closed only after unregistering: POCO
        /// closes its own at the end of the connection, which may race with the watchdog.
        int _fd;
        Clock::time_point _due; ///< guarded by the watchdog's mutex; max() while a request is handled
    };

    /// This thread's connection has read a head: no deadline while the request is handled.
    static void headParsed();

    /// This thread's connection has answered: its next head is due.
    static void answered();

    Poco::Timespan headTimeout() const { return _headTimeout; }

private:
    void arm(Connection& connection, Clock::time_point due);
    void run();

    const Poco::Timespan _headTimeout;
    const Clock::duration _head;
    const Clock::duration _nextHead;
    const Expired _expired;

    std::mutex _mutex;
    std::condition_variable _wake;
    std::set<Connection*> _connections;
    bool _stopping = false;
    std::thread _thread;
};

} // namespace wiretap::http
