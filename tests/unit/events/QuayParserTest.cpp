#include "events/QuayParser.h"
#include "PayloadFixtures.h"
#include "events/PayloadError.h"

#include <cppunit/extensions/HelperMacros.h>

using wiretap::events::EventSource;
using wiretap::events::PayloadError;
using wiretap::events::QuayParser;

class QuayParserTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(QuayParserTest);
    CPPUNIT_TEST(testDocsSample);
    CPPUNIT_TEST(testOneEventPerTag);
    CPPUNIT_TEST(testOldDeliveriesListTagsAsAnObject);
    CPPUNIT_TEST(testSelfHostedQuayWithPort);
    CPPUNIT_TEST(testBadTagsAreIgnoredOneByOne);
    CPPUNIT_TEST(testInvalidDockerUrlIgnoresEveryTag);
    CPPUNIT_TEST(testRequiresDockerUrlAndTags);
    CPPUNIT_TEST_SUITE_END();

public:
    void testDocsSample()
    {
        const auto result = _parser.parse(payloads::request(payloads::read("quay.json")));
        CPPUNIT_ASSERT_EQUAL(std::string("quay"), result.format);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), result.events.size());
        payloads::assertEvent(result.events[0], "quay.io", "dgangaia/test", "latest", "", "");
        CPPUNIT_ASSERT(result.events[0].source == EventSource::Quay);
        payloads::assertIgnored(result, {});
    }

    void testOneEventPerTag()
    {
        const auto result = _parser.parse(
            payloads::request(R"({"docker_url": "quay.io/ns/app", "updated_tags": ["v1", "latest"]})"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), result.events.size());
        payloads::assertEvent(result.events[0], "quay.io", "ns/app", "v1", "", "");
        payloads::assertEvent(result.events[1], "quay.io", "ns/app", "latest", "", "");
    }

    void testOldDeliveriesListTagsAsAnObject()
    {
        const auto result = _parser.parse(payloads::request(
            R"({"docker_url": "quay.io/ns/app", "updated_tags": {"v2": "b1aee6c4", "latest": "b1aee6c4"}})"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), result.events.size());
        payloads::assertEvent(result.events[0], "quay.io", "ns/app", "latest", "", "");
        payloads::assertEvent(result.events[1], "quay.io", "ns/app", "v2", "", "");
    }

    void testSelfHostedQuayWithPort()
    {
        const auto result = _parser.parse(
            payloads::request(R"({"docker_url": "quay.example.com:8443/ns/app", "updated_tags": ["v1"]})"));
        payloads::assertEvent(result.events.at(0), "quay.example.com:8443", "ns/app", "v1", "", "");
    }

    void testBadTagsAreIgnoredOneByOne()
    {
        const auto result = _parser.parse(payloads::request(
            R"({"docker_url": "quay.io/ns/app", "updated_tags": ["v1", 2, "-bad", "", "caf\u00e9"]})"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), result.events.size());
        payloads::assertIgnored(result, {"updated_tags[1]: expected a string, got number",
                                         "updated_tags[2]: invalid image reference 'quay.io/ns/app:-bad': "
                                         "tag '-bad' is not letters, digits, "
                                         "'_', '.' and '-' (not starting with '.' or '-')",
                                         "updated_tags[3]: no tag",
                                         "updated_tags[4]: invalid image reference "
                                         "'quay.io/ns/app:caf\\xc3\\xa9': tag 'caf\\xc3\\xa9' is not "
                                         "letters, digits, '_', '.' and '-' (not starting with '.' or '-')"});
    }

    void testInvalidDockerUrlIgnoresEveryTag()
    {
        const auto result = _parser.parse(
            payloads::request(R"({"docker_url": "quay.io", "updated_tags": ["v1"], "name": "x"})"));
        CPPUNIT_ASSERT(result.events.empty());
        payloads::assertIgnored(
            result, {"updated_tags[0]: invalid image reference 'quay.io/:v1': repository path is empty"});
        const auto empty =
            _parser.parse(payloads::request(R"({"docker_url": "quay.io/ns/app", "updated_tags": []})"));
        payloads::assertIgnored(empty, {"updated_tags: no tags"});
    }

    void testRequiresDockerUrlAndTags()
    {
        CPPUNIT_ASSERT_THROW(_parser.parse(payloads::request(R"({"updated_tags": ["v1"]})")), PayloadError);
        CPPUNIT_ASSERT_THROW(_parser.parse(payloads::request(R"({"docker_url": "quay.io/ns/app"})")),
                             PayloadError);
        CPPUNIT_ASSERT_THROW(
            _parser.parse(payloads::request(R"({"docker_url": "quay.io/ns/app", "updated_tags": "v1"})")),
            PayloadError);
        CPPUNIT_ASSERT(!_parser.recognizes(payloads::request(R"({"docker_url": "quay.io/ns/app"})")));
    }

private:
    QuayParser _parser;
};

CPPUNIT_TEST_SUITE_REGISTRATION(QuayParserTest);
