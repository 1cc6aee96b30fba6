#pragma once

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerRequest.h>

#include <functional>

namespace wiretap::http
{

/// Wraps the router. POCO's HTTPServer gives each connection a worker thread
/// until the connection closes, and queues newer connections (a `/healthz`
/// probe too) until a thread is free. While any connection waits there, every
/// answer closes its keep-alive connection (`Connection: close`), so that the
/// thread goes to the oldest waiting connection instead of serving the same
/// client again: with more clients than `http.maxThreads` they take turns.
class KeepAliveGate : public Poco::Net::HTTPRequestHandlerFactory
{
public:
    using WaitingConnections = std::function<int()>;

    explicit KeepAliveGate(Poco::Net::HTTPRequestHandlerFactory::Ptr inner) : _inner(std::move(inner)) {}

    /// How many accepted connections wait for a thread, e.g. the server's
    /// `queuedConnections()`. Set before the server starts; until then nothing waits.
    void watch(WaitingConnections waiting) { _waiting = std::move(waiting); }

    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;

private:
    Poco::Net::HTTPRequestHandlerFactory::Ptr _inner;
    WaitingConnections _waiting;
};

} // namespace wiretap::http
