#include "events/DockerHubParser.h"
#include "PayloadFixtures.h"
#include "events/PayloadError.h"

#include <cppunit/extensions/HelperMacros.h>

using wiretap::events::DockerHubParser;
using wiretap::events::EventSource;
using wiretap::events::PayloadError;

namespace
{
const std::string kCallback =
    "https://registry.hub.docker.com/u/svendowideit/testhook/hook/2141b5bi5i5b02bec211i4eeih0242eg11000a/";
}

class DockerHubParserTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(DockerHubParserTest);
    CPPUNIT_TEST(testCurrentDocsSample);
    CPPUNIT_TEST(testLegacySampleWithImagesAndFloatTimestamps);
    CPPUNIT_TEST(testTagDefaultsToLatest);
    CPPUNIT_TEST(testOfficialImageKeepsLibrary);
    CPPUNIT_TEST(testSingleSegmentNameGetsLibrary);
    CPPUNIT_TEST(testRejectsMissingRepoName);
    CPPUNIT_TEST(testRejectsInvalidRepoName);
    CPPUNIT_TEST(testRejectsTagOfTheWrongTypeOrGrammar);
    CPPUNIT_TEST(testIgnoresCallbackUrlThatIsNoHttpUrl);
    CPPUNIT_TEST(testRecognizesItsShapeOnly);
    CPPUNIT_TEST_SUITE_END();

public:
    void testCurrentDocsSample()
    {
        const auto result = _parser.parse(payloads::request(payloads::read("dockerhub.json")));
        CPPUNIT_ASSERT_EQUAL(std::string("dockerhub"), result.format);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), result.events.size());
        payloads::assertEvent(result.events[0], "docker.io", "svendowideit/testhook", "latest", "", "");
        CPPUNIT_ASSERT_EQUAL(kCallback, result.events[0].callbackUrl);
        CPPUNIT_ASSERT(result.events[0].source == EventSource::DockerHub);
        payloads::assertIgnored(result, {});
        CPPUNIT_ASSERT(result.deliveryIds.empty());
    }

    void testLegacySampleWithImagesAndFloatTimestamps()
    {
        const auto result =
            _parser.parse(payloads::request(payloads::read("dockerhub-legacy-with-images.json")));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), result.events.size());
        payloads::assertEvent(result.events[0], "docker.io", "svendowideit/testhook", "latest", "", "");
        CPPUNIT_ASSERT_EQUAL(kCallback, result.events[0].callbackUrl);
    }

    void testTagDefaultsToLatest()
    {
        for (const std::string pushData : {R"({})", R"({"tag": null})", R"({"tag": ""})"})
        {
            const auto result = _parser.parse(payloads::request(
                R"({"push_data": )" + pushData + R"(, "repository": {"repo_name": "u/app"}})"));
            CPPUNIT_ASSERT_EQUAL(std::string("latest"), result.events.at(0).tag);
        }
        const auto tagged = _parser.parse(
            payloads::request(R"({"push_data": {"tag": "v1.2"}, "repository": {"repo_name": "u/app"}})"));
        CPPUNIT_ASSERT_EQUAL(std::string("v1.2"), tagged.events.at(0).tag);
    }

    void testOfficialImageKeepsLibrary()
    {
        const auto result = _parser.parse(payloads::request(
            R"({"push_data": {"tag": "1"}, "repository": {"repo_name": "library/nginx"}})"));
        payloads::assertEvent(result.events.at(0), "docker.io", "library/nginx", "1", "", "");
    }

    void testSingleSegmentNameGetsLibrary()
    {
        const auto result =
            _parser.parse(payloads::request(R"({"push_data": {}, "repository": {"repo_name": "nginx"}})"));
        payloads::assertEvent(result.events.at(0), "docker.io", "library/nginx", "latest", "", "");
    }

    void testRejectsMissingRepoName()
    {
        assertRejected(R"({"push_data": {}, "repository": {}})", "repository.repo_name: missing");
        assertRejected(R"({"push_data": {}, "repository": {"repo_name": 7}})",
                       "repository.repo_name: expected a string, got number");
        assertRejected(R"({"push_data": {}, "repository": "u/app"})",
                       "repository: expected an object, got string");
        assertRejected(R"({"push_data": 1, "repository": {"repo_name": "u/app"}})",
                       "push_data: expected an object, got number");
    }

    void testRejectsInvalidRepoName()
    {
        assertRejected(
            R"({"push_data": {}, "repository": {"repo_name": "User/App"}})",
            "repository.repo_name: invalid image reference 'docker.io/User/App:latest': repository path "
            "must be lower case");
    }

    void testRejectsTagOfTheWrongTypeOrGrammar()
    {
        assertRejected(R"({"push_data": {"tag": 5}, "repository": {"repo_name": "u/app"}})",
                       "push_data.tag: expected a string, got number");
        assertRejected(R"({"push_data": {"tag": ["v1"]}, "repository": {"repo_name": "u/app"}})",
                       "push_data.tag: expected a string, got array");
        assertRejected(
            R"({"push_data": {"tag": "-v1"}, "repository": {"repo_name": "u/app"}})",
            "push_data.tag: invalid image reference 'docker.io/u/app:-v1': tag '-v1' is not letters, "
            "digits, '_', '.' and '-' (not starting with '.' or '-')");
    }

    void testIgnoresCallbackUrlThatIsNoHttpUrl()
    {
        const auto result = _parser.parse(payloads::request(
            R"({"callback_url": 3, "push_data": {}, "repository": {"repo_name": "u/app"}})"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), result.events.size());
        CPPUNIT_ASSERT_EQUAL(std::string(), result.events[0].callbackUrl);
        payloads::assertIgnored(result, {"callback_url: expected a string, got number"});
        const auto notUrl = _parser.parse(payloads::request(
            R"({"callback_url": "file:///etc/passwd", "push_data": {}, "repository": {"repo_name": "u/app"}})"));
        CPPUNIT_ASSERT_EQUAL(std::string(), notUrl.events.at(0).callbackUrl);
        payloads::assertIgnored(notUrl, {"callback_url: 'file:///etc/passwd' is not an http(s) URL"});
    }

    void testRecognizesItsShapeOnly()
    {
        CPPUNIT_ASSERT(_parser.recognizes(payloads::request(payloads::read("dockerhub.json"))));
        CPPUNIT_ASSERT(!_parser.recognizes(payloads::request(payloads::read("dockerhub-callback.json"))));
        CPPUNIT_ASSERT(!_parser.recognizes(payloads::request(payloads::read("quay.json"))));
    }

private:
    void assertRejected(const std::string& body, const std::string& message)
    {
        try
        {
            _parser.parse(payloads::request(body));
            CPPUNIT_FAIL("accepted " + body);
        }
        catch (const PayloadError& error)
        {
            CPPUNIT_ASSERT_EQUAL(message, std::string(error.what()));
        }
    }

    DockerHubParser _parser;
};

CPPUNIT_TEST_SUITE_REGISTRATION(DockerHubParserTest);
