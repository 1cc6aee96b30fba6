#include "events/GenericParser.h"
#include "PayloadFixtures.h"
#include "events/PayloadError.h"

#include <cppunit/extensions/HelperMacros.h>

using wiretap::events::EventSource;
using wiretap::events::GenericParser;
using wiretap::events::PayloadError;

namespace
{
const std::string kDigest = "sha256:80f0d5c8786bb9e621a45ece0db56d11cdc624ad20da9fe62e9d25490f331d7d";
}

class GenericParserTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(GenericParserTest);
    CPPUNIT_TEST(testFamiliarNameIsNormalized);
    CPPUNIT_TEST(testPrivateRegistryWithDigest);
    CPPUNIT_TEST(testDigestInTheImage);
    CPPUNIT_TEST(testRejectsInvalidImage);
    CPPUNIT_TEST(testRejectsImageWithoutTag);
    CPPUNIT_TEST(testRejectsInvalidOrConflictingDigest);
    CPPUNIT_TEST(testRejectsMissingOrWrongTypedImage);
    CPPUNIT_TEST_SUITE_END();

public:
    void testFamiliarNameIsNormalized()
    {
        const auto result = _parser.parse(payloads::request(R"({"image": "nginx:1.25"})"));
        CPPUNIT_ASSERT_EQUAL(std::string("generic"), result.format);
        payloads::assertEvent(result.events.at(0), "docker.io", "library/nginx", "1.25", "", "");
        CPPUNIT_ASSERT(result.events[0].source == EventSource::Generic);
        payloads::assertEvent(_parser.parse(payloads::request(R"({"image": "user/app"})")).events.at(0),
                              "docker.io", "user/app", "latest", "", "");
    }

    void testPrivateRegistryWithDigest()
    {
        const auto result = _parser.parse(
            payloads::request(R"({"image": "127.0.0.1:5000/demo/app:v2", "digest": ")" + kDigest + "\"}"));
        payloads::assertEvent(result.events.at(0), "127.0.0.1:5000", "demo/app", "v2", kDigest, "");
    }

    void testDigestInTheImage()
    {
        const auto result =
            _parser.parse(payloads::request(R"({"image": "ghcr.io/o/app:v1@)" + kDigest + "\"}"));
        payloads::assertEvent(result.events.at(0), "ghcr.io", "o/app", "v1", kDigest, "");
    }

    void testRejectsInvalidImage()
    {
        assertRejected(R"({"image": "user/App:v1"})",
                       "image: invalid image reference 'user/App:v1': repository path must be lower case");
        assertRejected(R"({"image": ""})", "image: invalid image reference '': the reference is empty");
    }

    void testRejectsImageWithoutTag()
    {
        assertRejected(R"({"image": "app@)" + kDigest + "\"}",
                       "image: 'app@" + kDigest + "' names a digest but no tag: name the tag to deploy");
    }

    void testRejectsInvalidOrConflictingDigest()
    {
        assertRejected(
            R"({"image": "app:v1", "digest": "sha256:xxxx"})",
            "digest: digest 'sha256:xxxx' is invalid: sha256 needs exactly 64 lower-case hex digits");
        assertRejected(R"({"image": "app:v1", "digest": 7})", "digest: expected a string, got number");
        assertRejected(R"({"image": "app:v1@)" + kDigest + R"(", "digest": "sha256:)" + std::string(64, 'a') +
                           "\"}",
                       "digest: differs from the digest in image 'app:v1@" + kDigest + "'");
    }

    void testRejectsMissingOrWrongTypedImage()
    {
        assertRejected(R"({"digest": ")" + kDigest + "\"}", "image: missing");
        assertRejected(R"({"image": ["app:v1"]})", "image: expected a string, got array");
        assertRejected(R"({"image": null})", "image: missing");
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

    GenericParser _parser;
};

CPPUNIT_TEST_SUITE_REGISTRATION(GenericParserTest);
