#include "http/WebhookServer.h"

#include "Version.h"
#include "http/KeepAliveGate.h"
#include "log/LogFields.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/NumberFormatter.h>
#include <Poco/Thread.h>
#include <Poco/Timestamp.h>

#include <memory>

namespace wiretap::http
{
namespace
{
using Poco::Net::HTTPRequestHandler;
using Poco::Net::HTTPRequestHandlerFactory;
using Poco::Net::HTTPServerParams;

/// Runs the request's handler; once it is done, the answer has gone out and the
/// next head on this connection is due.
class AnsweredHandler : public HTTPRequestHandler
{
public:
    explicit AnsweredHandler(HTTPRequestHandler* inner) : _inner(inner) {}
    ~AnsweredHandler() override { HeadDeadline::answered(); }

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override
    {
        _inner->handleRequest(request, response);
    }

private:
    std::unique_ptr<HTTPRequestHandler> _inner;
};

/// POCO's HTTPServerConnection, registered with the watchdog while it runs, on its own thread.
class WatchedConnection : public Poco::Net::HTTPServerConnection
{
public:
    WatchedConnection(const Poco::Net::StreamSocket& socket, HTTPServerParams::Ptr params,
                      HTTPRequestHandlerFactory::Ptr factory, HeadDeadline& deadline)
        : HTTPServerConnection(socket, std::move(params), std::move(factory)), _deadline(deadline)
    {
    }

    void run() override
    {
        const HeadDeadline::Connection watched(_deadline, socket());
        HTTPServerConnection::run();
    }

private:
    HeadDeadline& _deadline;
};

/// HTTPServerConnectionFactory, making WatchedConnections.
class WatchedConnectionFactory : public Poco::Net::TCPServerConnectionFactory
{
public:
    WatchedConnectionFactory(HTTPServerParams::Ptr params, HTTPRequestHandlerFactory::Ptr factory,
                             HeadDeadline& deadline)
        : _params(std::move(params)), _factory(std::move(factory)), _deadline(deadline)
    {
    }

    Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override
    {
        return new WatchedConnection(socket, _params, _factory, _deadline);
    }

private:
    HTTPServerParams::Ptr _params;
    HTTPRequestHandlerFactory::Ptr _factory;
    HeadDeadline& _deadline;
};

HTTPServerParams::Ptr paramsFor(const config::ServerSettings& settings)
{
    HTTPServerParams::Ptr params(new HTTPServerParams);
    params->setServerName("wiretap");
    params->setSoftwareVersion(std::string("wiretap/") + kVersion);
    params->setMaxThreads(settings.maxThreads);
    params->setMaxQueued(settings.maxQueued);
    params->setTimeout(settings.requestTimeout);
    params->setKeepAlive(settings.maxKeepAliveRequests > 0);
    params->setKeepAliveTimeout(settings.keepAliveTimeout);
    params->setMaxKeepAliveRequests(settings.maxKeepAliveRequests);
    return params;
}

HeadDeadline::Expired refuse(Poco::Timespan headerTimeout, metrics::Metrics& metrics)
{
    const std::string reason =
        "request head not received within " + std::to_string(headerTimeout.totalMilliseconds()) + " ms";
    return [reason, &metrics](const std::string& remote)
    {
        log::warning(Poco::Logger::get("wiretap.http"), "Invalid Request",
                     {{"Status", "408"}, {"Reason", reason}, {"Remote", remote}});
        metrics.increment("wiretap_http_head_timeouts_total");
    };
}
} // namespace

/// The request handler factory the connections see: a head has been read when
/// POCO asks it for a handler, on the connection's own thread.
class WebhookServer::HeadWatchingFactory : public HTTPRequestHandlerFactory
{
public:
    explicit HeadWatchingFactory(HTTPRequestHandlerFactory::Ptr inner) : _inner(std::move(inner)) {}

    HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override
    {
        HeadDeadline::headParsed();
        HTTPRequestHandler* handler = _inner->createRequestHandler(request);
        if (handler == nullptr) // POCO answers 501 itself (the router never does this)
        {
            HeadDeadline::answered();
            return nullptr;
        }
        return new AnsweredHandler(handler);
    }

    /// What HTTPServer::stopAll does after stopping the TCPServer: every
    /// HTTPServerConnection listens to this event of its factory.
    void stopConnections(bool abortCurrent) { serverStopped(this, abortCurrent); }

private:
    HTTPRequestHandlerFactory::Ptr _inner;
};

WebhookServer::WebhookServer(const config::ServerSettings& settings, HTTPRequestHandlerFactory::Ptr router,
                             const Poco::Net::ServerSocket& socket, metrics::Metrics& metrics)
    : _deadline(settings.headerTimeout, settings.keepAliveTimeout, refuse(settings.headerTimeout, metrics)),
      _params(paramsFor(settings)), _threads("http", 2, settings.maxThreads),
      _gate(new KeepAliveGate(std::move(router))),
      _factory(new HeadWatchingFactory(HTTPRequestHandlerFactory::Ptr(_gate))),
      _server(new WatchedConnectionFactory(_params, _factory, _deadline), _threads, socket, _params)
{
    _gate->watch([this] { return KeepAliveGate::saturated(_server); });
}

WebhookServer::~WebhookServer()
{
    if (!_stopped)
    {
        stopAll(true);
        _threads.joinAll();
    }
}

void WebhookServer::describe(metrics::Metrics& metrics)
{
    metrics.describe("wiretap_http_head_timeouts_total", metrics::Metrics::Type::Counter,
                     "Connections closed because a request head (request line and headers) took "
                     "longer than http.headerTimeout.");
}

void WebhookServer::stop(Poco::Timespan grace, Poco::Logger& logger)
{
    stopAll(false);
    const Poco::Timestamp stopping;
    while (_server.currentConnections() > 0 && !stopping.isElapsed(grace.totalMicroseconds()))
        Poco::Thread::sleep(20);
    if (_server.currentConnections() > 0)
    {
        log::warning(logger, "Shutdown timeout reached, closing connections",
                     {{"Connections", Poco::NumberFormatter::format(_server.currentConnections())}});
        stopAll(true);
    }
    _threads.joinAll();
    _stopped = true;
}

void WebhookServer::stopAll(bool abortCurrent)
{
    _server.stop();
    _factory->stopConnections(abortCurrent);
}

} // namespace wiretap::http
