#include "events/WebhookRequest.h"
#include "events/PayloadError.h"

#include <cppunit/extensions/HelperMacros.h>

using wiretap::events::PayloadError;
using wiretap::events::WebhookRequest;

class WebhookRequestTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(WebhookRequestTest);
    CPPUNIT_TEST(testHeaderNamesAreCaseInsensitive);
    CPPUNIT_TEST(testMediaTypeDropsParametersAndCase);
    CPPUNIT_TEST(testQueryParametersAndReceivedTime);
    CPPUNIT_TEST(testParsesTheBodyOnceAndKeepsIt);
    CPPUNIT_TEST(testKeepsTheJsonErrorToo);
    CPPUNIT_TEST(testLimitsNestingDepth);
    CPPUNIT_TEST_SUITE_END();

public:
    void testHeaderNamesAreCaseInsensitive()
    {
        const WebhookRequest request({{"X-GitHub-Event", "ping"}, {"CONTENT-TYPE", "application/json"}},
                                     "{}");
        CPPUNIT_ASSERT_EQUAL(std::string("ping"), request.header("x-github-event"));
        CPPUNIT_ASSERT_EQUAL(std::string("ping"), request.header("X-GITHUB-EVENT"));
        CPPUNIT_ASSERT(request.hasHeader("Content-Type"));
        CPPUNIT_ASSERT(!request.hasHeader("X-GitHub-Delivery"));
        CPPUNIT_ASSERT_EQUAL(std::string(), request.header("X-GitHub-Delivery"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), request.headers().count("content-type"));
    }

    void testMediaTypeDropsParametersAndCase()
    {
        const WebhookRequest request(
            {{"Content-Type", " Application/VND.docker.distribution.events.v1+JSON ; x=1"}}, "");
        CPPUNIT_ASSERT_EQUAL(std::string("application/vnd.docker.distribution.events.v1+json"),
                             request.mediaType());
        CPPUNIT_ASSERT_EQUAL(std::string(), WebhookRequest({}, "").mediaType());
    }

    void testQueryParametersAndReceivedTime()
    {
        const Poco::Timestamp at(1234567890);
        const WebhookRequest request({}, "{}", {{"token", "s3cret"}}, at);
        CPPUNIT_ASSERT_EQUAL(std::string("s3cret"), request.queryParameter("token"));
        CPPUNIT_ASSERT_EQUAL(std::string(), request.queryParameter("other"));
        CPPUNIT_ASSERT(at == request.receivedAt());
    }

    void testParsesTheBodyOnceAndKeepsIt()
    {
        const WebhookRequest request({}, R"({"image": "app:v1"})");
        const auto first = request.json();
        CPPUNIT_ASSERT(first.get() == request.json().get());
        CPPUNIT_ASSERT_EQUAL(std::string("app:v1"), first->getValue<std::string>("image"));
    }

    void testKeepsTheJsonErrorToo()
    {
        const WebhookRequest request({}, "{\"a\":");
        for (int i = 0; i < 2; ++i)
        {
            try
            {
                request.json();
                CPPUNIT_FAIL("parsed a truncated body");
            }
            catch (const PayloadError& error)
            {
                CPPUNIT_ASSERT_EQUAL(std::string(), error.field());
                CPPUNIT_ASSERT_EQUAL(std::string("body is not valid JSON: unexpected end of text"),
                                     std::string(error.what()));
            }
        }
    }

    void testLimitsNestingDepth()
    {
        const auto nested = [](std::size_t depth)
        { return std::string(depth - 1, '[').insert(0, "{\"a\":") + std::string(depth - 1, ']') + "}"; };
        CPPUNIT_ASSERT_NO_THROW(WebhookRequest({}, nested(WebhookRequest::kMaxJsonDepth)).json());
        CPPUNIT_ASSERT_THROW(WebhookRequest({}, nested(WebhookRequest::kMaxJsonDepth + 1)).json(),
                             PayloadError);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WebhookRequestTest);
