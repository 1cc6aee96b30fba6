#include "http/RequestRouter.h"
#include "http/ErrorHandler.h"
#include "http/HealthHandler.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <cppunit/extensions/HelperMacros.h>

#include <memory>

using namespace Poco::Net;
using wiretap::http::RequestRouter;

/// Routes real requests through a Poco HTTPServer on an ephemeral loopback port.
class RequestRouterTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RequestRouterTest);
    CPPUNIT_TEST(testHealthzAnswersOkJson);
    CPPUNIT_TEST(testHeadIsServedByGetRoute);
    CPPUNIT_TEST(testUnknownPathIsJson404);
    CPPUNIT_TEST(testWrongMethodIsJson405WithAllow);
    CPPUNIT_TEST(testPrefixRouteMatchesOnlyLongerPaths);
    CPPUNIT_TEST(testQueryStringDoesNotAffectRouting);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        auto* router = new RequestRouter;
        router->add("GET", "/healthz", [](const auto&) { return new wiretap::http::HealthHandler; });
        router->addPrefix(
            "POST", "/hooks/",
            [](const auto&)
            { return new wiretap::http::ErrorHandler(HTTPResponse::HTTP_ACCEPTED, "prefix matched"); });
        _socket = std::make_unique<ServerSocket>(SocketAddress("127.0.0.1", 0));
        _server = std::make_unique<HTTPServer>(router, *_socket, new HTTPServerParams);
        _server->start();
    }

    void tearDown() override { _server->stopAll(true); }

    void testHealthzAnswersOkJson()
    {
        HTTPResponse response;
        const std::string body = request("GET", "/healthz", response);
        CPPUNIT_ASSERT_EQUAL(HTTPResponse::HTTP_OK, response.getStatus());
        CPPUNIT_ASSERT_EQUAL(std::string("application/json"), response.getContentType());
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), parse(body)->getValue<std::string>("status"));
    }

    void testHeadIsServedByGetRoute()
    {
        HTTPResponse response;
        const std::string body = request("HEAD", "/healthz", response);
        CPPUNIT_ASSERT_EQUAL(HTTPResponse::HTTP_OK, response.getStatus());
        CPPUNIT_ASSERT(body.empty());
    }

    void testUnknownPathIsJson404()
    {
        HTTPResponse response;
        const std::string body = request("GET", "/nope", response);
        CPPUNIT_ASSERT_EQUAL(HTTPResponse::HTTP_NOT_FOUND, response.getStatus());
        CPPUNIT_ASSERT_EQUAL(std::string("no route for /nope"), parse(body)->getValue<std::string>("error"));
    }

    void testWrongMethodIsJson405WithAllow()
    {
        HTTPResponse response;
        const std::string body = request("POST", "/healthz", response);
        CPPUNIT_ASSERT_EQUAL(HTTPResponse::HTTP_METHOD_NOT_ALLOWED, response.getStatus());
        CPPUNIT_ASSERT_EQUAL(std::string("GET, HEAD"), response.get("Allow"));
        CPPUNIT_ASSERT(parse(body)->has("error"));
    }

    void testPrefixRouteMatchesOnlyLongerPaths()
    {
        HTTPResponse matched;
        request("POST", "/hooks/dockerhub", matched);
        CPPUNIT_ASSERT_EQUAL(HTTPResponse::HTTP_ACCEPTED, matched.getStatus());
        HTTPResponse bare;
        request("POST", "/hooks/", bare);
        CPPUNIT_ASSERT_EQUAL(HTTPResponse::HTTP_NOT_FOUND, bare.getStatus());
    }

    void testQueryStringDoesNotAffectRouting()
    {
        HTTPResponse response;
        request("GET", "/healthz?token=abc", response);
        CPPUNIT_ASSERT_EQUAL(HTTPResponse::HTTP_OK, response.getStatus());
    }

private:
    std::string request(const std::string& method, const std::string& uri, HTTPResponse& response)
    {
        HTTPClientSession session("127.0.0.1", _socket->address().port());
        HTTPRequest req(method, uri, HTTPMessage::HTTP_1_1);
        req.setContentLength(0);
        session.sendRequest(req);
        std::istream& in = session.receiveResponse(response);
        std::string body;
        Poco::StreamCopier::copyToString(in, body);
        return body;
    }

    static Poco::JSON::Object::Ptr parse(const std::string& body)
    {
        Poco::JSON::Parser parser;
        return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
    }

    std::unique_ptr<ServerSocket> _socket;
    std::unique_ptr<HTTPServer> _server;
};

CPPUNIT_TEST_SUITE_REGISTRATION(RequestRouterTest);
