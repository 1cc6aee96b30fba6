#include "events/GitHubParser.h"
#include "PayloadFixtures.h"
#include "events/PayloadError.h"

#include <cppunit/extensions/HelperMacros.h>

using wiretap::events::EventSource;
using wiretap::events::GitHubParser;
using wiretap::events::PayloadError;
using wiretap::events::WebhookRequest;

namespace
{
const std::string kVersionDigest = "sha256:3da1996a8115d7616457760d9920b815241d0a03b34cf5f04e9a0e9d8de37498";
const std::string kShortTagDigest = "sha256:6c62fb45fe66bfb1ea9a66abc38f6a0cc974292b";
const std::string kUntagged =
    "package version '" + kVersionDigest + "' has no tag (a per-platform manifest of a multi-arch push)";

WebhookRequest delivery(const std::string& event, const std::string& body)
{
    return payloads::request(body, {{"Content-Type", "application/json"},
                                    {"X-GitHub-Event", event},
                                    {"X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958"}});
}

/// A delivery of a hook whose content type is the form one.
WebhookRequest formDelivery(const std::string& body)
{
    return payloads::request(body, {{"Content-Type", "application/x-www-form-urlencoded"},
                                    {"X-GitHub-Event", "package"},
                                    {"X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958"}});
}

/// The docs sample with its empty tag name set to `tag`.
std::string tagged(const std::string& fixture, const std::string& tag)
{
    return payloads::replaced(payloads::read(fixture), R"("name": "")", R"("name": ")" + tag + "\"");
}
} // namespace

class GitHubParserTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(GitHubParserTest);
    CPPUNIT_TEST(testPackageSampleIsAnUntaggedChildManifest);
    CPPUNIT_TEST(testRegistryPackageSampleIsAnUntaggedChildManifest);
    CPPUNIT_TEST(testTaggedVersionLowerCasesThePackageUrl);
    CPPUNIT_TEST(testPrefersAValidTagDigest);
    CPPUNIT_TEST(testKeepsTheEventWhenNoDigestIsValid);
    CPPUNIT_TEST(testRealCaptureShape);
    CPPUNIT_TEST(testPingIsIgnored);
    CPPUNIT_TEST(testOtherEventsAndActionsAreIgnored);
    CPPUNIT_TEST(testNonContainerPackagesAreIgnored);
    CPPUNIT_TEST(testWrongTypesBecomeIgnoredReasons);
    CPPUNIT_TEST(testRequiresThePackageObject);
    CPPUNIT_TEST(testRecognizesHeaderOrShape);
    CPPUNIT_TEST(testFormEncodedDeliveryIsReadFromItsPayloadField);
    CPPUNIT_TEST(testBrokenFormsArePayloadErrors);
    CPPUNIT_TEST_SUITE_END();

public:
    void testPackageSampleIsAnUntaggedChildManifest()
    {
        const auto result = _parser.parse(delivery("package", payloads::read("ghcr-package.json")));
        CPPUNIT_ASSERT_EQUAL(std::string("github"), result.format);
        CPPUNIT_ASSERT(result.events.empty());
        payloads::assertIgnored(result, {kUntagged});
        CPPUNIT_ASSERT(payloads::ids({"72d3162e-cc78-11e3-81ab-4c9367dc0958"}) == result.deliveryIds);
    }

    void testRegistryPackageSampleIsAnUntaggedChildManifest()
    {
        const auto result =
            _parser.parse(delivery("registry_package", payloads::read("ghcr-registry-package.json")));
        CPPUNIT_ASSERT(result.events.empty());
        payloads::assertIgnored(result, {kUntagged});
    }

    void testTaggedVersionLowerCasesThePackageUrl()
    {
        for (const auto& [event, fixture] :
             {std::pair<std::string, std::string>{"package", "ghcr-package.json"},
              {"registry_package", "ghcr-registry-package.json"}})
        {
            const auto result = _parser.parse(delivery(event, tagged(fixture, "v1")));
            CPPUNIT_ASSERT_EQUAL(std::size_t(1), result.events.size());
            // The tag's digest has 40 hex digits; the version name is the valid one.
            payloads::assertEvent(result.events[0], "ghcr.io", "codertocat/hello-world", "v1", kVersionDigest,
                                  "72d3162e-cc78-11e3-81ab-4c9367dc0958");
            CPPUNIT_ASSERT(result.events[0].source == EventSource::GitHub);
            payloads::assertIgnored(result, {});
        }
    }

    void testPrefersAValidTagDigest()
    {
        const std::string valid = "sha256:" + std::string(64, 'c');
        const auto result = _parser.parse(delivery(
            "package", payloads::replaced(tagged("ghcr-package.json", "v1"), kShortTagDigest, valid)));
        CPPUNIT_ASSERT_EQUAL(valid, result.events.at(0).digest);
    }

    void testKeepsTheEventWhenNoDigestIsValid()
    {
        const auto result = _parser.parse(delivery(
            "package", payloads::replaced(tagged("ghcr-package.json", "v1"), kVersionDigest, "1.0")));
        payloads::assertEvent(result.events.at(0), "ghcr.io", "codertocat/hello-world", "v1", "",
                              "72d3162e-cc78-11e3-81ab-4c9367dc0958");
        payloads::assertIgnored(result,
                                {"digest '" + kShortTagDigest +
                                 "' is invalid: sha256 needs exactly 64 lower-case hex digits; the event is "
                                 "kept without a digest"});
    }

    void testRealCaptureShape()
    {
        const auto result = _parser.parse(
            delivery("registry_package",
                     R"({"action": "published", "registry_package": {"name": "repositoryname/frontend",)"
                     R"( "namespace": "noahvdaa", "ecosystem": "CONTAINER", "package_type": "CONTAINER",)"
                     R"( "package_version": {"name": "sha256:)" +
                         std::string(64, 'a') +
                         R"(", "container_metadata": {"tag": {"name": "latest", "digest": ""}},)"
                         R"( "package_url": "ghcr.io/noahvdaa/repositoryname/frontend:latest"},)"
                         R"( "registry": {"url": "https://CONTAINER.pkg.github.com/noahvdaa"}}})"));
        payloads::assertEvent(result.events.at(0), "ghcr.io", "noahvdaa/repositoryname/frontend", "latest",
                              "sha256:" + std::string(64, 'a'), "72d3162e-cc78-11e3-81ab-4c9367dc0958");
    }

    void testPingIsIgnored()
    {
        auto result =
            _parser.parse(delivery("ping", R"({"zen": "Keep it logically awesome.", "hook_id": 1})"));
        payloads::assertIgnored(result, {"ping"});
        CPPUNIT_ASSERT(payloads::ids({"72d3162e-cc78-11e3-81ab-4c9367dc0958"}) == result.deliveryIds);
        result = _parser.parse(payloads::request(R"({"zen": "Design for failure.", "hook_id": 2})"));
        payloads::assertIgnored(result, {"ping"});
    }

    void testOtherEventsAndActionsAreIgnored()
    {
        auto result = _parser.parse(delivery("push", R"({"ref": "refs/heads/main"})"));
        payloads::assertIgnored(result, {"GitHub event 'push', not a package event"});
        result = _parser.parse(delivery("package", payloads::replaced(tagged("ghcr-package.json", "v1"),
                                                                      R"("published")", R"("deleted")")));
        payloads::assertIgnored(result, {"action 'deleted', not published or updated"});
        result = _parser.parse(delivery("package", payloads::replaced(tagged("ghcr-package.json", "v1"),
                                                                      R"("published")", R"("updated")")));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), result.events.size());
    }

    void testNonContainerPackagesAreIgnored()
    {
        const auto result = _parser.parse(
            delivery("package", payloads::replaced(tagged("ghcr-package.json", "v1"),
                                                   R"("ecosystem": "docker")", R"("ecosystem": "npm")")));
        CPPUNIT_ASSERT(result.events.empty());
        payloads::assertIgnored(result, {"package type 'npm', not a container"});
    }

    void testWrongTypesBecomeIgnoredReasons()
    {
        auto result = _parser.parse(
            delivery("package", payloads::replaced(tagged("ghcr-package.json", "v1"),
                                                   R"("ghcr.io/Codertocat/hello-world:")", "17")));
        payloads::assertIgnored(result,
                                {"package.package_version.package_url: expected a string, got number"});
        result =
            _parser.parse(delivery("package", R"({"action": "published", "package": {"ecosystem": "docker",)"
                                              R"( "package_version": []}})"));
        payloads::assertIgnored(result, {"package.package_version: expected an object, got array"});
        result =
            _parser.parse(delivery("package", payloads::replaced(tagged("ghcr-package.json", "v1"),
                                                                 R"("ghcr.io/Codertocat/hello-world:")",
                                                                 R"("ghcr.io/codertocat/hello world")")));
        payloads::assertIgnored(result,
                                {"invalid image reference 'ghcr.io/codertocat/hello world': repository path "
                                 "component 'hello world' is not lower-case letters and digits joined by "
                                 "'.', '_', '__' or '-'"});
    }

    void testRequiresThePackageObject()
    {
        CPPUNIT_ASSERT_THROW(_parser.parse(delivery("package", R"({"action": "published"})")), PayloadError);
        CPPUNIT_ASSERT_THROW(_parser.parse(delivery("registry_package", payloads::read("ghcr-package.json"))),
                             PayloadError);
        CPPUNIT_ASSERT_THROW(
            _parser.parse(delivery("package", payloads::read("ghcr-real-capture-EXCERPT.txt"))),
            PayloadError);
    }

    void testRecognizesHeaderOrShape()
    {
        CPPUNIT_ASSERT(_parser.recognizesHeaders(delivery("package", "")));
        CPPUNIT_ASSERT(_parser.recognizesBody(payloads::request(payloads::read("ghcr-package.json"))));
        CPPUNIT_ASSERT(
            _parser.recognizesBody(payloads::request(payloads::read("ghcr-registry-package.json"))));
        CPPUNIT_ASSERT(!_parser.recognizes(payloads::request(payloads::read("dockerhub.json"))));
    }

    void testFormEncodedDeliveryIsReadFromItsPayloadField()
    {
        const auto result =
            _parser.parse(formDelivery(payloads::read("ghcr-package-tagged-form.CONSTRUCTED.txt")));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), result.events.size());
        payloads::assertEvent(result.events[0], "ghcr.io", "codertocat/hello-world", "v1", kVersionDigest,
                              "72d3162e-cc78-11e3-81ab-4c9367dc0958");
        payloads::assertIgnored(result, {});
        // The ping of a form hook: a space is a '+'.
        const auto ping = _parser.parse(payloads::request(
            "payload=%7B%22zen%22%3A%22Keep+it+logically+awesome.%22%2C%22hook_id%22%3A1%7D",
            {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
             {"X-GitHub-Event", "ping"}}));
        payloads::assertIgnored(ping, {"ping"});
    }

    void testBrokenFormsArePayloadErrors()
    {
        const std::string form = payloads::read("ghcr-package-tagged-form.CONSTRUCTED.txt");
        const std::pair<std::string, std::string> broken[] = {
            {tagged("ghcr-package.json", "v1"), "form body has no field 'payload'"},
            {"hook_id=1", "form body has no field 'payload'"},
            {payloads::replaced(form, "%7B%22action", "%7B%2"),
             "form body has a bad percent-encoding at byte 11: '%2%'"},
            {form + "&payload=%7B%7D", "form body has the field 'payload' more than once"},
            {"payload=", "form field 'payload' is empty, expected a JSON object"},
            {"payload=%5B%5D", "form field 'payload' is a JSON array, expected a JSON object"},
            {"payload=action%3Dpublished", "form field 'payload' is not a JSON object"},
            {"payload=%7B%22a%22%3A", "form field 'payload' is not valid JSON: unexpected end of text"},
        };
        for (const auto& [body, message] : broken)
        {
            try
            {
                _parser.parse(formDelivery(body));
                CPPUNIT_FAIL("parsed a broken form: " + body.substr(0, 80));
            }
            catch (const PayloadError& error)
            {
                CPPUNIT_ASSERT_EQUAL(message, std::string(error.what()));
            }
        }
    }

private:
    GitHubParser _parser;
};

CPPUNIT_TEST_SUITE_REGISTRATION(GitHubParserTest);
