#include "http/WebhookServer.h"
#include "http/BodyReader.h"
#include "http/HealthHandler.h"
#include "http/RequestRouter.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketStream.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/Thread.h>
#include <Poco/Timestamp.h>

#include <cppunit/extensions/HelperMacros.h>

#include <functional>
#include <memory>
#include <string>

using namespace Poco::Net;
using wiretap::http::WebhookServer;

namespace
{
/// Echoes the body, read as WebhookHandler reads it: 408 past its own deadline of 5 s.
class EchoHandler : public HTTPRequestHandler
{
public:
    void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override
    {
        try
        {
            const std::string body = wiretap::http::readBody(request, 4096, Poco::Timespan(5, 0));
            response.setContentLength(static_cast<std::streamsize>(body.size()));
            response.send() << body;
        }
        catch (const wiretap::http::BodyTimeout&)
        {
            response.setStatusAndReason(HTTPResponse::HTTP_REQUEST_TIMEOUT);
            response.setKeepAlive(false);
            response.send();
        }
    }
};

/// About 13 s at a byte every 250 ms.
const std::string kSlowHead = "GET /healthz HTTP/1.1\r\nHost: slowloris\r\nX-Wait: 1\r\n\r\n";

double secondsSince(const Poco::Timestamp& start)
{
    return static_cast<double>(start.elapsed()) / 1e6;
}
} // namespace

/// The real server with a head deadline of 1 s and a keep-alive timeout of 2.5 s.
class WebhookServerTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(WebhookServerTest);
    CPPUNIT_TEST(testHeadDrippedPastTheDeadlineIsCutWhileOthersAreAnswered);
    CPPUNIT_TEST(testKeepAliveConnectionIdleBetweenRequestsIsNotCut);
    CPPUNIT_TEST(testNextHeadOnAKeepAliveConnectionHasADeadlineToo);
    CPPUNIT_TEST(testSlowBodyIsLeftToTheBodyTimeout);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        auto* router = new wiretap::http::RequestRouter;
        router->add("GET", "/healthz", [](const auto&) { return new wiretap::http::HealthHandler; });
        router->add("POST", "/echo", [](const auto&) { return new EchoHandler; });
        wiretap::config::ServerSettings settings;
        settings.maxThreads = 4;
        settings.headerTimeout = Poco::Timespan(1, 0);
        settings.keepAliveTimeout = Poco::Timespan(2, 500000);
        _socket = std::make_unique<ServerSocket>(SocketAddress("127.0.0.1", 0));
        WebhookServer::describe(_metrics);
        _server = std::make_unique<WebhookServer>(settings, router, *_socket, _metrics);
        _server->start();
    }

    void tearDown() override { _server.reset(); }

    void testHeadDrippedPastTheDeadlineIsCutWhileOthersAreAnswered()
    {
        StreamSocket slow = connect();
        std::string answer;
        const double cutAfter =
            drip(slow, kSlowHead, answer, [this] { CPPUNIT_ASSERT_EQUAL(HTTPResponse::HTTP_OK, healthz()); });

        CPPUNIT_ASSERT_MESSAGE("the dripped head was never cut", cutAfter > 0);
        CPPUNIT_ASSERT_MESSAGE(std::to_string(cutAfter), cutAfter >= 0.9 && cutAfter < 8);
        CPPUNIT_ASSERT_EQUAL(std::string(), answer);
        CPPUNIT_ASSERT_EQUAL(1.0, headTimeouts());
    }

    // Between requests POCO waits up to the keep-alive timeout for the next one.
    void testKeepAliveConnectionIdleBetweenRequestsIsNotCut()
    {
        StreamSocket socket = connect();
        SocketStream stream(socket);
        CPPUNIT_ASSERT_EQUAL(HTTPResponse::HTTP_OK, get(stream));
        Poco::Thread::sleep(1800); // past the head deadline, within the keep-alive timeout
        CPPUNIT_ASSERT_EQUAL(HTTPResponse::HTTP_OK, get(stream));
        CPPUNIT_ASSERT_EQUAL(0.0, _metrics.value("wiretap_http_head_timeouts_total"));
    }

    void testNextHeadOnAKeepAliveConnectionHasADeadlineToo()
    {
        StreamSocket socket = connect();
        SocketStream stream(socket);
        CPPUNIT_ASSERT_EQUAL(HTTPResponse::HTTP_OK, get(stream));
        std::string answer;
        const double cutAfter = drip(socket, kSlowHead, answer);

        CPPUNIT_ASSERT_MESSAGE("the dripped head was never cut", cutAfter > 0);
        CPPUNIT_ASSERT_EQUAL(std::string(), answer);
        CPPUNIT_ASSERT_EQUAL(1.0, headTimeouts());
    }

    void testSlowBodyIsLeftToTheBodyTimeout()
    {
        StreamSocket socket = connect();
        const std::string body = "0123456789";
        const std::string head = "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n";
        socket.sendBytes(head.data(), static_cast<int>(head.size()));
        for (char byte : body) // 2.5 s: longer than the head deadline, within the body's
        {
            Poco::Thread::sleep(250);
            socket.sendBytes(&byte, 1);
        }
        SocketStream stream(socket);
        HTTPResponse response;
        response.read(stream);
        std::string echoed;
        Poco::StreamCopier::copyToString(stream, echoed, 10);
        CPPUNIT_ASSERT_EQUAL(HTTPResponse::HTTP_OK, response.getStatus());
        CPPUNIT_ASSERT_EQUAL(body, echoed.substr(0, body.size()));
        CPPUNIT_ASSERT_EQUAL(0.0, _metrics.value("wiretap_http_head_timeouts_total"));
    }

private:
    /// The counter, once the watchdog has counted: it does so after the connection was cut.
    double headTimeouts() const
    {
        const Poco::Timestamp started;
        while (_metrics.value("wiretap_http_head_timeouts_total") == 0 && !started.isElapsed(5000000))
            Poco::Thread::sleep(10);
        return _metrics.value("wiretap_http_head_timeouts_total");
    }

    StreamSocket connect() const
    {
        StreamSocket socket(_socket->address());
        socket.setReceiveTimeout(Poco::Timespan(30, 0));
        return socket;
    }

    HTTPResponse::HTTPStatus healthz() const
    {
        HTTPClientSession session("127.0.0.1", _socket->address().port());
        session.setTimeout(Poco::Timespan(30, 0));
        HTTPRequest request(HTTPRequest::HTTP_GET, "/healthz", HTTPMessage::HTTP_1_1);
        session.sendRequest(request);
        HTTPResponse response;
        std::string body;
        Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
        return response.getStatus();
    }

    static HTTPResponse::HTTPStatus get(SocketStream& stream)
    {
        HTTPRequest request(HTTPRequest::HTTP_GET, "/healthz", HTTPMessage::HTTP_1_1);
        request.setHost("t");
        request.write(stream);
        stream.flush();
        HTTPResponse response;
        response.read(stream);
        std::string body(static_cast<std::size_t>(response.getContentLength()), '\0');
        stream.read(body.data(), static_cast<std::streamsize>(body.size()));
        return response.getStatus();
    }

    /// Sends `head` a byte every 250 ms, running `meanwhile` once after
    /// the first byte. Returns the seconds until the server closed the connection, or -1
    /// when it never did; what it answered goes to `answer`.
    static double drip(StreamSocket& socket, const std::string& head, std::string& answer,
                       const std::function<void()>& meanwhile = {})
    {
        const Poco::Timestamp started;
        for (std::size_t i = 0; i < head.size(); ++i)
        {
            try
            {
                socket.sendBytes(&head[i], 1);
                if (i == 0 && meanwhile)
                    meanwhile();
                if (socket.poll(Poco::Timespan(0, 250000), Socket::SELECT_READ))
                {
                    char buffer[1024];
                    const int got = socket.receiveBytes(buffer, sizeof buffer);
                    if (got <= 0)
                        return secondsSince(started);
                    answer.append(buffer, static_cast<std::size_t>(got));
                }
            }
            catch (const NetException&) // reset, or a broken pipe: closed too
            {
                return secondsSince(started);
            }
        }
        return -1;
    }

    wiretap::metrics::Metrics _metrics;
    std::unique_ptr<ServerSocket> _socket;
    std::unique_ptr<WebhookServer> _server;
};

CPPUNIT_TEST_SUITE_REGISTRATION(WebhookServerTest);
