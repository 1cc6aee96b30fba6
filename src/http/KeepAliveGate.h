#pragma once

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/TCPServer.h>

#include <functional>

namespace wiretap::http
{

/// Wraps the router. POCO's HTTPServer gives each connection a worker thread
/// until the connection closes, and queues newer connections (a `/healthz`
/// probe too) until a thread is free. While every thread serves a connection
/// and another one waits, every answer closes its keep-alive connection
/// (`Connection: close`), so that the thread goes to the oldest waiting
/// connection instead of serving the same client again: with more clients
/// than `http.maxThreads` they take turns.
class KeepAliveGate : public Poco::Net::HTTPRequestHandlerFactory
{
public:
    using Saturated = std::function<bool()>;

    explicit KeepAliveGate(Poco::Net::HTTPRequestHandlerFactory::Ptr inner) : _inner(std::move(inner)) {}

    /// Whether an accepted connection waits while every thread is busy (see
    /// `saturated(server)`). Set before the server starts; until then none waits.
    void watch(Saturated saturated) { _saturated = std::move(saturated); }

    /// For `watch`: connections are queued and every worker thread serves one. A
    /// connection is queued for a moment before an idle or new thread takes it too;
    /// closing keep-alive connections then would only make more of them.
    static bool saturated(const Poco::Net::TCPServer& server);

    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;

private:
    Poco::Net::HTTPRequestHandlerFactory::Ptr _inner;
    Saturated _saturated;
};

} // namespace wiretap::http
