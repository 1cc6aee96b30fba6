#include "events/HarborParser.h"
#include "PayloadFixtures.h"
#include "events/PayloadError.h"

#include <cppunit/extensions/HelperMacros.h>

using wiretap::events::EventSource;
using wiretap::events::HarborParser;
using wiretap::events::PayloadError;

namespace
{
const std::string kBusyboxDigest = "sha256:dde8e930c7b6a490f728e66292bc9bce42efc9bbb5278bae40e4f30f6e00fe8c";
const std::string kByDigest =
    "event_data.resources[0]: tag '" + kBusyboxDigest + "': pushed by digest, no tag";
} // namespace

class HarborParserTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(HarborParserTest);
    CPPUNIT_TEST(testDefaultFormatSample);
    CPPUNIT_TEST(testPullSampleIsIgnored);
    CPPUNIT_TEST(testPushByDigestIsIgnored);
    CPPUNIT_TEST(testCloudEventsPullSampleIsIgnored);
    CPPUNIT_TEST(testCloudEventsPush);
    CPPUNIT_TEST(testHostKeepsItsPort);
    CPPUNIT_TEST(testBadResourcesAreIgnoredOneByOne);
    CPPUNIT_TEST(testRequiresTheEnvelope);
    CPPUNIT_TEST(testRecognizesBothFormats);
    CPPUNIT_TEST_SUITE_END();

public:
    void testDefaultFormatSample()
    {
        const auto result = _parser.parse(payloads::request(payloads::read("harbor.json")));
        CPPUNIT_ASSERT_EQUAL(std::string("harbor"), result.format);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), result.events.size());
        payloads::assertEvent(result.events[0], "hub.harbor.com", "test-webhook/debian", "latest",
                              "sha256:8a9e9863dbb6e10edb5adfe917c00da84e1700fa76e7ed02476aa6e6fb8ee0d8", "");
        CPPUNIT_ASSERT(result.events[0].source == EventSource::Harbor);
        payloads::assertIgnored(result, {});
    }

    void testPullSampleIsIgnored()
    {
        const auto result = _parser.parse(payloads::request(payloads::read("harbor-by-digest.json")));
        CPPUNIT_ASSERT(result.events.empty());
        payloads::assertIgnored(result, {"PULL_ARTIFACT, not a push"});
    }

    void testPushByDigestIsIgnored()
    {
        const std::string body =
            payloads::replaced(payloads::read("harbor-by-digest.json"), "PULL_", "PUSH_");
        const auto result = _parser.parse(payloads::request(body));
        CPPUNIT_ASSERT(result.events.empty());
        payloads::assertIgnored(result, {kByDigest});
    }

    void testCloudEventsPullSampleIsIgnored()
    {
        const auto result = _parser.parse(payloads::request(payloads::read("harbor-cloudevents.json")));
        CPPUNIT_ASSERT(result.events.empty());
        payloads::assertIgnored(result, {"harbor.artifact.pulled, not a push"});
        CPPUNIT_ASSERT(payloads::ids({"4b2f89a6-548d-4c12-9993-a1f5790b97d2"}) == result.deliveryIds);
    }

    void testCloudEventsPush()
    {
        std::string body =
            payloads::replaced(payloads::read("harbor-cloudevents.json"), ".pulled", ".pushed");
        body = payloads::replaced(body, R"("tag":")" + kBusyboxDigest, R"("tag":"1.36)");
        const auto result = _parser.parse(payloads::request(body));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), result.events.size());
        payloads::assertEvent(result.events[0], "harbor.dev", "library/busybox", "1.36", kBusyboxDigest,
                              "4b2f89a6-548d-4c12-9993-a1f5790b97d2");
    }

    void testHostKeepsItsPort()
    {
        const auto result = _parser.parse(payloads::request(
            R"({"type": "PUSH_ARTIFACT", "event_data": {"resources": [{"tag": "v1", "digest": "",)"
            R"( "resource_url": "harbor.local:8443/proj/app:v1"}]}})"));
        payloads::assertEvent(result.events.at(0), "harbor.local:8443", "proj/app", "v1", "", "");
    }

    void testBadResourcesAreIgnoredOneByOne()
    {
        const auto result = _parser.parse(payloads::request(
            R"({"type": "PUSH_ARTIFACT", "event_data": {"resources": [7, {"tag": "v1"},)"
            R"( {"tag": "v2", "resource_url": "h.io/p/a:v2", "digest": "sha256:..."}, {"tag": ""},)"
            R"( {"tag": "v3", "resource_url": "h.io/p/a:v3"}]}})"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), result.events.size());
        payloads::assertEvent(result.events[0], "h.io", "p/a", "v2", "", "");
        payloads::assertEvent(result.events[1], "h.io", "p/a", "v3", "", "");
        payloads::assertIgnored(result,
                                {"event_data.resources[0]: expected an object, got number",
                                 "event_data.resources[1].resource_url: missing",
                                 "event_data.resources[2]: digest 'sha256:...' is invalid: sha256 needs "
                                 "exactly 64 lower-case hex digits; the event is kept without a digest",
                                 "event_data.resources[3]: no tag (pushed by digest)"});
    }

    void testRequiresTheEnvelope()
    {
        CPPUNIT_ASSERT_THROW(_parser.parse(payloads::request(R"({"type": "PUSH_ARTIFACT"})")), PayloadError);
        CPPUNIT_ASSERT_THROW(
            _parser.parse(payloads::request(R"({"type": "PUSH_ARTIFACT", "event_data": {"resources": {}}})")),
            PayloadError);
        CPPUNIT_ASSERT_THROW(_parser.parse(payloads::request(R"({"type": 1, "event_data": {}})")),
                             PayloadError);
    }

    void testRecognizesBothFormats()
    {
        CPPUNIT_ASSERT(_parser.recognizes(payloads::request(payloads::read("harbor.json"))));
        CPPUNIT_ASSERT(_parser.recognizes(payloads::request(payloads::read("harbor-by-digest.json"))));
        CPPUNIT_ASSERT(_parser.recognizes(payloads::request(payloads::read("harbor-cloudevents.json"))));
        CPPUNIT_ASSERT(!_parser.recognizes(
            payloads::request(R"({"specversion": "1.0", "type": "com.example.other", "data": {}})")));
    }

private:
    HarborParser _parser;
};

CPPUNIT_TEST_SUITE_REGISTRATION(HarborParserTest);
