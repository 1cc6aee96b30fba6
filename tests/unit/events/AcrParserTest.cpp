#include "events/AcrParser.h"
#include "PayloadFixtures.h"
#include "events/PayloadError.h"

#include <cppunit/extensions/HelperMacros.h>

using wiretap::events::AcrParser;
using wiretap::events::EventSource;
using wiretap::events::PayloadError;

class AcrParserTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(AcrParserTest);
    CPPUNIT_TEST(testPushSample);
    CPPUNIT_TEST(testRedactedDigestKeepsThePushWithoutDigest);
    CPPUNIT_TEST(testIgnoresDelete);
    CPPUNIT_TEST(testIgnoresPingAndChartPush);
    CPPUNIT_TEST(testIgnoresPushWithoutTag);
    CPPUNIT_TEST(testWrongTypesBecomeIgnoredReasons);
    CPPUNIT_TEST(testRequiresAnAction);
    CPPUNIT_TEST(testRecognizesItsShape);
    CPPUNIT_TEST_SUITE_END();

public:
    void testPushSample()
    {
        const auto result = _parser.parse(payloads::request(payloads::read("acr.json")));
        CPPUNIT_ASSERT_EQUAL(std::string("acr"), result.format);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), result.events.size());
        payloads::assertEvent(result.events[0], "myregistry.azurecr.io", "hello-world", "v1",
                              "sha256:80f0d5c8786bb9e621a45ece0db56d11cdc624ad20da9fe62e9d25490f331d7d",
                              "cb8c3971-9adc-488b-bdd8-43cbb4974ff5");
        CPPUNIT_ASSERT(result.events[0].source == EventSource::Acr);
        payloads::assertIgnored(result, {});
        CPPUNIT_ASSERT(payloads::ids({"cb8c3971-9adc-488b-bdd8-43cbb4974ff5"}) == result.deliveryIds);
    }

    void testRedactedDigestKeepsThePushWithoutDigest()
    {
        const auto result = _parser.parse(payloads::request(payloads::read("acr-redacted-2023.json")));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), result.events.size());
        payloads::assertEvent(result.events[0], "myregistry.azurecr.io", "hello-world", "v1", "",
                              "cb8c3971-9adc-488b-xxxx-43cbb4974ff5");
        payloads::assertIgnored(
            result, {"digest 'sha256:xxxxd5c8786bb9e621a45ece0dbxxxx1cdc624ad20da9fe62e9d25490f3"
                     "3xxxx' is invalid: sha256 needs exactly 64 lower-case hex digits; the event "
                     "is kept without a digest"});
    }

    void testIgnoresDelete()
    {
        const auto result = _parser.parse(payloads::request(payloads::read("acr-delete.json")));
        CPPUNIT_ASSERT(result.events.empty());
        payloads::assertIgnored(result, {"delete, not a push"});
        CPPUNIT_ASSERT(payloads::ids({"afc359ce-df7f-4e32-bdde-1ff8aa80927b"}) == result.deliveryIds);
    }

    void testIgnoresPingAndChartPush()
    {
        auto result = _parser.parse(payloads::request(R"({"id": "p1", "action": "ping"})"));
        payloads::assertIgnored(result, {"ping"});
        result = _parser.parse(payloads::request(payloads::replaced(
            payloads::read("acr.json"), R"("action": "push")", R"("action": "chart_push")")));
        payloads::assertIgnored(result, {"chart_push, not a push"});
    }

    void testIgnoresPushWithoutTag()
    {
        const auto result = _parser.parse(
            payloads::request(payloads::replaced(payloads::read("acr.json"), R"("tag": "v1")", "\"x\": 1")));
        CPPUNIT_ASSERT(result.events.empty());
        payloads::assertIgnored(result, {"manifest pushed by digest, no tag"});
    }

    void testWrongTypesBecomeIgnoredReasons()
    {
        auto result = _parser.parse(payloads::request(R"({"action": "push", "target": {"tag": 1}})"));
        payloads::assertIgnored(result, {"target.tag: expected a string, got number"});
        result = _parser.parse(payloads::request(
            R"({"action": "push", "target": {"tag": "v1", "repository": "a"}, "request": [1]})"));
        payloads::assertIgnored(result, {"request: expected an object, got array"});
        result = _parser.parse(payloads::request(R"({"id": 12, "action": "push", "target": {"tag": "v1",)"
                                                 R"( "repository": "a"}, "request": {"host": "h.io"}})"));
        payloads::assertEvent(result.events.at(0), "h.io", "a", "v1", "", "");
    }

    void testRequiresAnAction()
    {
        CPPUNIT_ASSERT_THROW(
            _parser.parse(payloads::request(payloads::read("distribution-delete-target.json"))),
            PayloadError);
        CPPUNIT_ASSERT_THROW(_parser.parse(payloads::request(R"({"action": 3})")), PayloadError);
    }

    void testRecognizesItsShape()
    {
        CPPUNIT_ASSERT(_parser.recognizes(payloads::request(payloads::read("acr.json"))));
        CPPUNIT_ASSERT(_parser.recognizes(payloads::request(payloads::read("acr-delete.json"))));
        CPPUNIT_ASSERT(_parser.recognizes(payloads::request(R"({"action": "ping"})")));
        CPPUNIT_ASSERT(
            !_parser.recognizes(payloads::request(payloads::read("distribution-delete-target.json"))));
        CPPUNIT_ASSERT(!_parser.recognizes(payloads::request(payloads::read("distribution.json"))));
        CPPUNIT_ASSERT(
            !_parser.recognizes(payloads::request(payloads::read("gcr-message-real-capture.json"))));
    }

private:
    AcrParser _parser;
};

CPPUNIT_TEST_SUITE_REGISTRATION(AcrParserTest);
