#include "http/KeepAliveGate.h"

#include <Poco/Net/HTTPServerResponse.h>

namespace wiretap::http
{

Poco::Net::HTTPRequestHandler*
KeepAliveGate::createRequestHandler(const Poco::Net::HTTPServerRequest& request)
{
    // HTTPServerConnection has set the response's keep-alive from the request and the
    // server's limits by now, and ends the connection after the answer when it is off.
    if (_saturated && _saturated())
        request.response().setKeepAlive(false);
    return _inner->createRequestHandler(request);
}

bool KeepAliveGate::saturated(const Poco::Net::TCPServer& server)
{
    return server.queuedConnections() > 0 && server.currentConnections() >= server.maxThreads();
}

} // namespace wiretap::http
