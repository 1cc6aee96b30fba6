#pragma once

#include "config/ServerSettings.h"
#include "http/HeadDeadline.h"
#include "metrics/Metrics.h"

#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/SharedPtr.h>
#include <Poco/ThreadPool.h>

namespace wiretap::http
{

class KeepAliveGate;

/// The HTTP server, assembled from `http.*`: POCO's HTTPServer with its worker
/// threads, limits and keep-alive, a KeepAliveGate around the router, and a
/// deadline for every request head (`http.headerTimeout`, see HeadDeadline).
/// It is built on TCPServer as HTTPServer is, because HTTPServer creates its
/// connections itself and cannot register them with the watchdog.
class WebhookServer
{
public:
    /// Serves `router` on `socket`, which is listening. A connection cut by the
    /// head deadline is logged as `msg="Invalid Request" Status=408` and counted.
    WebhookServer(const config::ServerSettings& settings, Poco::Net::HTTPRequestHandlerFactory::Ptr router,
                  const Poco::Net::ServerSocket& socket, metrics::Metrics& metrics);
    ~WebhookServer();

    WebhookServer(const WebhookServer&) = delete;
    WebhookServer& operator=(const WebhookServer&) = delete;

    void start() { _server.start(); }

    /// Connections being served now.
    int currentConnections() const { return _server.currentConnections(); }

    /// Stops accepting; requests in flight get `grace` to finish, then their
    /// connections are closed (logged on `logger`). Returns once every worker
    /// thread is done.
    void stop(Poco::Timespan grace, Poco::Logger& logger);

    static void describe(metrics::Metrics& metrics);

private:
    class HeadWatchingFactory;

    /// HTTPServer::stopAll: no new connections, and each one closes after its
    /// request, or at once with `abortCurrent`.
    void stopAll(bool abortCurrent);

    HeadDeadline _deadline;
    Poco::Net::HTTPServerParams::Ptr _params;
    Poco::ThreadPool _threads;
    KeepAliveGate* _gate; ///< owned by _factory
    Poco::SharedPtr<HeadWatchingFactory> _factory;
    Poco::Net::TCPServer _server;
    bool _stopped = false;
};

} // namespace wiretap::http
