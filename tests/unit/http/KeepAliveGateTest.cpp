#include "http/KeepAliveGate.h"
#include "http/HealthHandler.h"
#include "http/RequestRouter.h"

#include <Poco/Event.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/Thread.h>
#include <Poco/ThreadPool.h>

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <memory>

using namespace Poco::Net;
using wiretap::http::KeepAliveGate;

/// A real HTTPServer with one worker thread behind the gate, as the server runs it.
class KeepAliveGateTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(KeepAliveGateTest);
    CPPUNIT_TEST(testKeepsConnectionsAliveWhileNoneWait);
    CPPUNIT_TEST(testWaitingConnectionIsServedWhileABusyClientKeepsSending);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        auto* router = new wiretap::http::RequestRouter;
        router->add("GET", "/healthz", [](const auto&) { return new wiretap::http::HealthHandler; });
        auto* gate = new KeepAliveGate(router);
        auto* params = new HTTPServerParams;
        params->setMaxThreads(1);
        params->setMaxQueued(8);
        _socket = std::make_unique<ServerSocket>(SocketAddress("127.0.0.1", 0));
        _server = std::make_unique<HTTPServer>(gate, _threads, *_socket, params);
        gate->watch([server = _server.get()] { return KeepAliveGate::saturated(*server); });
        _server->start();
    }

    void tearDown() override
    {
        _server->stopAll(true);
        _threads.joinAll();
    }

    void testKeepsConnectionsAliveWhileNoneWait()
    {
        HTTPClientSession session("127.0.0.1", _socket->address().port());
        for (int i = 0; i < 3; ++i)
        {
            HTTPResponse response;
            get(session, response);
            CPPUNIT_ASSERT_EQUAL(HTTPResponse::HTTP_OK, response.getStatus());
            CPPUNIT_ASSERT(response.getKeepAlive());
        }
    }

    // Without the gate the one thread would serve the busy client's keep-alive connection
    // until it stops after `limit` requests, and only then the waiting one.
    void testWaitingConnectionIsServedWhileABusyClientKeepsSending()
    {
        constexpr int limit = 20000;
        std::atomic<int> sent{0};
        std::atomic<int> closed{0};
        std::atomic<bool> stop{false};
        Poco::Event first;
        Poco::Thread busy;
        busy.startFunc(
            [&]
            {
                HTTPClientSession session("127.0.0.1", _socket->address().port());
                while (!stop && sent < limit)
                {
                    HTTPResponse response;
                    get(session, response);
                    if (++sent == 1)
                        first.set();
                    if (!response.getKeepAlive())
                        ++closed;
                }
            });
        first.wait();

        HTTPClientSession probe("127.0.0.1", _socket->address().port());
        probe.setTimeout(Poco::Timespan(60, 0));
        HTTPResponse response;
        get(probe, response, false); // as a health check does: its thread is free again at once
        const int sentBeforeProbe = sent;
        stop = true;
        busy.join();

        CPPUNIT_ASSERT_EQUAL(HTTPResponse::HTTP_OK, response.getStatus());
        CPPUNIT_ASSERT(sentBeforeProbe < limit);
        CPPUNIT_ASSERT(closed > 0);
    }

private:
    static void get(HTTPClientSession& session, HTTPResponse& response, bool keepAlive = true)
    {
        session.setKeepAlive(keepAlive);
        HTTPRequest request(HTTPRequest::HTTP_GET, "/healthz", HTTPMessage::HTTP_1_1);
        session.sendRequest(request);
        std::string body;
        Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
    }

    Poco::ThreadPool _threads{1, 1};
    std::unique_ptr<ServerSocket> _socket;
    std::unique_ptr<HTTPServer> _server;
};

CPPUNIT_TEST_SUITE_REGISTRATION(KeepAliveGateTest);
