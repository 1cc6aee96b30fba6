#include "events/JFrogParser.h"
#include "PayloadFixtures.h"
#include "events/PayloadError.h"

#include <cppunit/extensions/HelperMacros.h>

using wiretap::events::EventSource;
using wiretap::events::JFrogParser;
using wiretap::events::PayloadError;

namespace
{
const std::string kDigest = "sha256:35c4a2c15539c6c1e4e5fa4e554dac323ad0107d8eb5c582d6ff386b383b7dce";
}

class JFrogParserTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(JFrogParserTest);
    CPPUNIT_TEST(testSampleUsesOriginHostAndRepositoryKey);
    CPPUNIT_TEST(testOriginWithPortAndPath);
    CPPUNIT_TEST(testIgnoresOtherDomainsAndEventTypes);
    CPPUNIT_TEST(testInvalidDigestIsDropped);
    CPPUNIT_TEST(testMissingFieldsBecomeIgnoredReasons);
    CPPUNIT_TEST(testRequiresTheEnvelope);
    CPPUNIT_TEST(testRecognizesHeaderOrShape);
    CPPUNIT_TEST_SUITE_END();

public:
    void testSampleUsesOriginHostAndRepositoryKey()
    {
        const auto result = _parser.parse(payloads::request(payloads::read("jfrog-artifactory.json")));
        CPPUNIT_ASSERT_EQUAL(std::string("jfrog"), result.format);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), result.events.size());
        payloads::assertEvent(result.events[0], "example.jfrog.io", "docker-remote-cache/library/ubuntu",
                              "latest", kDigest, "");
        CPPUNIT_ASSERT(result.events[0].source == EventSource::JFrog);
        payloads::assertIgnored(result, {});
    }

    void testOriginWithPortAndPath()
    {
        const std::string body =
            payloads::replaced(payloads::read("jfrog-artifactory.json"), "https://example.jfrog.io",
                               "http://user@art.local:8081/artifactory");
        payloads::assertEvent(_parser.parse(payloads::request(body)).events.at(0), "art.local:8081",
                              "docker-remote-cache/library/ubuntu", "latest", kDigest, "");
    }

    void testIgnoresOtherDomainsAndEventTypes()
    {
        auto result = _parser.parse(payloads::request(payloads::replaced(
            payloads::read("jfrog-artifactory.json"), R"("domain": "docker")", R"("domain": "artifact")")));
        payloads::assertIgnored(result, {"domain 'artifact', not docker"});
        result = _parser.parse(
            payloads::request(payloads::replaced(payloads::read("jfrog-artifactory.json"),
                                                 R"("event_type": "pushed")", R"("event_type": "deleted")")));
        payloads::assertIgnored(result, {"event_type 'deleted', not pushed"});
    }

    void testInvalidDigestIsDropped()
    {
        const auto result = _parser.parse(payloads::request(
            payloads::replaced(payloads::read("jfrog-artifactory.json"), kDigest.substr(7), "35c4")));
        CPPUNIT_ASSERT_EQUAL(std::string(), result.events.at(0).digest);
        payloads::assertIgnored(result,
                                {"digest 'sha256:35c4' is invalid: sha256 needs exactly 64 lower-case hex "
                                 "digits; the event is kept without a digest"});
    }

    void testMissingFieldsBecomeIgnoredReasons()
    {
        auto result = _parser.parse(payloads::request(
            payloads::replaced(payloads::read("jfrog-artifactory.json"), R"("jpd_origin")", R"("origin")")));
        payloads::assertIgnored(result, {"jpd_origin: missing"});
        result = _parser.parse(payloads::request(
            payloads::replaced(payloads::read("jfrog-artifactory.json"), R"("tag":"latest")", R"("tag":1)")));
        payloads::assertIgnored(result, {"data.tag: expected a string, got number"});
    }

    void testRequiresTheEnvelope()
    {
        CPPUNIT_ASSERT_THROW(
            _parser.parse(payloads::request(R"({"domain": "docker", "event_type": "pushed"})")),
            PayloadError);
        CPPUNIT_ASSERT_THROW(_parser.parse(payloads::request(R"({"data": {}})")), PayloadError);
    }

    void testRecognizesHeaderOrShape()
    {
        CPPUNIT_ASSERT(_parser.recognizes(payloads::request(payloads::read("jfrog-artifactory.json"))));
        CPPUNIT_ASSERT(
            _parser.recognizesHeaders(payloads::request("{}", {{"X-JFrog-Event-Auth", "secret"}})));
        CPPUNIT_ASSERT(!_parser.recognizes(payloads::request(payloads::read("harbor.json"))));
    }

private:
    JFrogParser _parser;
};

CPPUNIT_TEST_SUITE_REGISTRATION(JFrogParserTest);
