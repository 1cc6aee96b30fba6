#include "events/GooglePubSubParser.h"
#include "PayloadFixtures.h"
#include "events/PayloadError.h"

#include <cppunit/extensions/HelperMacros.h>

using wiretap::events::EventSource;
using wiretap::events::GooglePubSubParser;
using wiretap::events::PayloadError;

namespace
{
const std::string kFreshlyDigest = "sha256:17f4431497a07da98bc16e599ef9d38afb9817049b6e98b71b7e321b946a24d4";

/// Line `index` (0-based) of gar-message-examples.jsonl.
std::string exampleLine(std::size_t index)
{
    std::istringstream lines(payloads::read("gar-message-examples.jsonl"));
    std::string line;
    for (std::size_t i = 0; i <= index; ++i)
        std::getline(lines, line);
    return line;
}
} // namespace

class GooglePubSubParserTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(GooglePubSubParserTest);
    CPPUNIT_TEST(testConstructedEnvelope);
    CPPUNIT_TEST(testGoogleExampleDataIsNotJson);
    CPPUNIT_TEST(testBareRealCapture);
    CPPUNIT_TEST(testDocsExampleWithoutTagIsIgnored);
    CPPUNIT_TEST(testDocsExampleWithPlaceholderDigestKeepsTheTag);
    CPPUNIT_TEST(testDocsExampleDeleteIsIgnored);
    CPPUNIT_TEST(testArtifactRegistryHost);
    CPPUNIT_TEST(testDigestOfAnotherRepositoryIsDropped);
    CPPUNIT_TEST(testBrokenMessagesAreIgnored);
    CPPUNIT_TEST(testRequiresTheMessage);
    CPPUNIT_TEST_SUITE_END();

public:
    void testConstructedEnvelope()
    {
        const auto result = _parser.parse(payloads::request(payloads::read("gar-pubsub.CONSTRUCTED.json")));
        CPPUNIT_ASSERT_EQUAL(std::string("google"), result.format);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), result.events.size());
        payloads::assertEvent(result.events[0], "gcr.io", "freshly-docker/freshly",
                              "PIG-267-refactor-email-service", kFreshlyDigest, "2070443601311540");
        CPPUNIT_ASSERT(result.events[0].source == EventSource::Google);
        payloads::assertIgnored(result, {});
        CPPUNIT_ASSERT(payloads::ids({"2070443601311540"}) == result.deliveryIds);
    }

    void testGoogleExampleDataIsNotJson()
    {
        const auto result =
            _parser.parse(payloads::request(payloads::read("pubsub-push-envelope-google-example.json")));
        CPPUNIT_ASSERT(result.events.empty());
        payloads::assertIgnored(result, {"message.data: decoded body is not a JSON object"});
        CPPUNIT_ASSERT(payloads::ids({"2070443601311540"}) == result.deliveryIds);
    }

    void testBareRealCapture()
    {
        const auto result = _parser.parse(payloads::request(payloads::read("gcr-message-real-capture.json")));
        payloads::assertEvent(result.events.at(0), "gcr.io", "freshly-docker/freshly",
                              "PIG-267-refactor-email-service", kFreshlyDigest, "");
        const auto wrapped = _parser.parse(payloads::request(
            payloads::pubSubEnvelope(payloads::read("gcr-message-real-capture.json"), "m-1")));
        payloads::assertEvent(wrapped.events.at(0), "gcr.io", "freshly-docker/freshly",
                              "PIG-267-refactor-email-service", kFreshlyDigest, "m-1");
    }

    void testDocsExampleWithoutTagIsIgnored()
    {
        const auto result = _parser.parse(payloads::request(payloads::pubSubEnvelope(exampleLine(0))));
        CPPUNIT_ASSERT(result.events.empty());
        payloads::assertIgnored(result, {"message.data: pushed by digest, no tag"});
    }

    void testDocsExampleWithPlaceholderDigestKeepsTheTag()
    {
        const auto result = _parser.parse(payloads::request(payloads::pubSubEnvelope(exampleLine(1))));
        payloads::assertEvent(result.events.at(0), "us-west1-docker.pkg.dev",
                              "my-project/my-repo/hello-world", "1.1", "", "42");
        payloads::assertIgnored(result,
                                {"message.data: digest 'sha256:...' is invalid: sha256 needs exactly 64 "
                                 "lower-case hex digits; the event is kept without a digest"});
    }

    void testDocsExampleDeleteIsIgnored()
    {
        const auto result = _parser.parse(payloads::request(payloads::pubSubEnvelope(exampleLine(2))));
        payloads::assertIgnored(result, {"message.data: DELETE, not an INSERT"});
    }

    void testArtifactRegistryHost()
    {
        const auto result = _parser.parse(payloads::request(payloads::pubSubEnvelope(
            R"({"action":"INSERT","tag":"us-east1-docker.pkg.dev/proj/repo/img:v3","digest":"us-east1-docker.pkg.dev/proj/repo/img@)" +
            kFreshlyDigest + "\"}")));
        payloads::assertEvent(result.events.at(0), "us-east1-docker.pkg.dev", "proj/repo/img", "v3",
                              kFreshlyDigest, "42");
    }

    void testDigestOfAnotherRepositoryIsDropped()
    {
        const auto result = _parser.parse(payloads::request(payloads::pubSubEnvelope(
            R"({"action":"INSERT","tag":"gcr.io/p/a:v1","digest":"gcr.io/p/b@)" + kFreshlyDigest + "\"}")));
        CPPUNIT_ASSERT_EQUAL(std::string(), result.events.at(0).digest);
        payloads::assertIgnored(result,
                                {"message.data: digest 'gcr.io/p/b@" + kFreshlyDigest.substr(0, 69) +
                                 "...' is of another repository than the tag; the event is kept without a "
                                 "digest"});
    }

    void testBrokenMessagesAreIgnored()
    {
        const auto ignored = [this](const std::string& body)
        {
            const auto result = _parser.parse(payloads::request(body));
            CPPUNIT_ASSERT(result.events.empty());
            CPPUNIT_ASSERT_EQUAL(std::size_t(1), result.ignored.size());
            return result.ignored[0];
        };
        CPPUNIT_ASSERT_EQUAL(std::string("message.data: missing"),
                             ignored(R"({"message": {"messageId": "1"}})"));
        CPPUNIT_ASSERT_EQUAL(std::string("message.data: expected a string, got number"),
                             ignored(R"({"message": {"data": 5}})"));
        CPPUNIT_ASSERT_EQUAL(std::string("message.data: not base64"),
                             ignored(R"({"message": {"data": "!!!!"}})"));
        CPPUNIT_ASSERT_EQUAL(std::string("message.data.tag: expected a string, got array"),
                             ignored(payloads::pubSubEnvelope(R"({"action":"INSERT","tag":[]})")));
        CPPUNIT_ASSERT_EQUAL(std::string("message.data: tag 'gcr.io/p/a' is not a reference with a tag"),
                             ignored(payloads::pubSubEnvelope(R"({"action":"INSERT","tag":"gcr.io/p/a"})")));
        CPPUNIT_ASSERT_EQUAL(
            std::string("message.data: invalid image reference 'gcr.io/p/A:v1': repository path "
                        "must be lower case"),
            ignored(payloads::pubSubEnvelope(R"({"action":"INSERT","tag":"gcr.io/p/A:v1"})")));
        CPPUNIT_ASSERT_EQUAL(
            std::string("message.data: decoded body is a JSON array, expected a JSON object"),
            ignored(payloads::pubSubEnvelope("[1]")));
    }

    void testRequiresTheMessage()
    {
        CPPUNIT_ASSERT_THROW(_parser.parse(payloads::request(R"({"subscription": "s"})")), PayloadError);
        CPPUNIT_ASSERT_THROW(_parser.parse(payloads::request(R"({"message": "x"})")), PayloadError);
        CPPUNIT_ASSERT(!_parser.recognizes(payloads::request(payloads::read("acr.json"))));
    }

private:
    GooglePubSubParser _parser;
};

CPPUNIT_TEST_SUITE_REGISTRATION(GooglePubSubParserTest);
