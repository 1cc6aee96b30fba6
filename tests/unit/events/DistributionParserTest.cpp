#include "events/DistributionParser.h"
#include "PayloadFixtures.h"
#include "events/PayloadError.h"

#include <cppunit/extensions/HelperMacros.h>

using wiretap::events::DistributionParser;
using wiretap::events::EventSource;
using wiretap::events::PayloadError;

namespace
{
const std::string kDigest = "sha256:4afff550708506c5b8b7384ad10d401a02b29ed587cb2730cb02753095b5178d";
const std::string kManifest = "application/vnd.docker.distribution.manifest.v2+json";

std::string event(const std::string& id, const std::string& action, const std::string& mediaType,
                  const std::string& tag, const std::string& host = "registry.example.com:5000")
{
    return R"({"id":")" + id + R"(","action":")" + action + R"(","target":{"mediaType":")" + mediaType +
           R"(","digest":")" + kDigest + R"(","repository":"team/app","tag":")" + tag +
           R"("},"request":{"host":")" + host + R"("}})";
}

std::string envelope(const std::string& events)
{
    return R"({"events":[)" + events + "]}";
}
} // namespace

class DistributionParserTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(DistributionParserTest);
    CPPUNIT_TEST(testDocsSampleHasNoTaggedManifest);
    CPPUNIT_TEST(testRealCaptureYieldsTheTaggedPush);
    CPPUNIT_TEST(testIgnoresPulls);
    CPPUNIT_TEST(testIgnoresSchema1ManifestsAndLayers);
    CPPUNIT_TEST(testAcceptsEveryManifestMediaType);
    CPPUNIT_TEST(testIgnoresMountsDeletesAndBlobs);
    CPPUNIT_TEST(testKeepsThePortOfTheRequestHost);
    CPPUNIT_TEST(testInvalidDigestKeepsTheEventWithoutIt);
    CPPUNIT_TEST(testOneBadEventDoesNotSpoilTheOthers);
    CPPUNIT_TEST(testIgnoresInvalidRepository);
    CPPUNIT_TEST(testRequiresTheEventsArray);
    CPPUNIT_TEST(testRecognizesItsContentTypesAndShape);
    CPPUNIT_TEST_SUITE_END();

public:
    void testDocsSampleHasNoTaggedManifest()
    {
        const auto result = _parser.parse(payloads::request(payloads::read("distribution.json")));
        CPPUNIT_ASSERT_EQUAL(std::string("registry"), result.format);
        CPPUNIT_ASSERT(result.events.empty());
        const std::string layer =
            "push of application/vnd.docker.container.image.rootfs.diff+x-gtar, not an image "
            "manifest";
        payloads::assertIgnored(result, {"events[0]: manifest pushed by digest, no tag",
                                         "events[1]: " + layer, "events[2]: " + layer});
        CPPUNIT_ASSERT(payloads::ids({"asdf-asdf-asdf-asdf-0", "asdf-asdf-asdf-asdf-1",
                                      "asdf-asdf-asdf-asdf-2"}) == result.deliveryIds);
    }

    void testRealCaptureYieldsTheTaggedPush()
    {
        const auto result =
            _parser.parse(payloads::request(payloads::read("distribution-real-capture.json")));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), result.events.size());
        payloads::assertEvent(result.events[0], "registry.git.erxes.io", "shinebayar-g/a", "0.01", kDigest,
                              "d83e8796-7ba5-46ad-b239-d88473e21b2b");
        CPPUNIT_ASSERT(result.events[0].source == EventSource::Registry);
        payloads::assertIgnored(result, {});
    }

    void testIgnoresPulls()
    {
        const auto result =
            _parser.parse(payloads::request(payloads::read("distribution-pull-with-tag.json")));
        CPPUNIT_ASSERT(result.events.empty());
        payloads::assertIgnored(result, {"events[0]: pull, not a push"});
        CPPUNIT_ASSERT(payloads::ids({"320678d8-ca14-430f-8bb6-4ca139cd83f7"}) == result.deliveryIds);
    }

    void testIgnoresSchema1ManifestsAndLayers()
    {
        const auto result =
            _parser.parse(payloads::request(payloads::read("distribution-v2.8-envelope-v1.json")));
        CPPUNIT_ASSERT(result.events.empty());
        const std::string layer =
            "push of application/vnd.docker.container.image.rootfs.diff+x-gtar, not an image "
            "manifest";
        payloads::assertIgnored(
            result, {"events[0]: push of application/vnd.docker.distribution.manifest.v1+prettyjws,"
                     " not an image manifest",
                     "events[1]: " + layer, "events[2]: " + layer});
    }

    void testAcceptsEveryManifestMediaType()
    {
        const auto result = _parser.parse(payloads::request(
            envelope(event("1", "push", kManifest, "a") + "," +
                     event("2", "push", "application/vnd.docker.distribution.manifest.list.v2+json", "b") +
                     "," + event("3", "push", "application/vnd.oci.image.manifest.v1+json", "c") + "," +
                     event("4", "push", "application/vnd.oci.image.index.v1+json", "d"))));
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), result.events.size());
        payloads::assertEvent(result.events[0], "registry.example.com:5000", "team/app", "a", kDigest, "1");
        payloads::assertEvent(result.events[3], "registry.example.com:5000", "team/app", "d", kDigest, "4");
        payloads::assertIgnored(result, {});
    }

    void testIgnoresMountsDeletesAndBlobs()
    {
        const auto result = _parser.parse(payloads::request(envelope(
            event("1", "mount", kManifest, "a") + "," + event("2", "delete", kManifest, "a") + "," +
            event("3", "push", "application/octet-stream", "") + "," + event("4", "push", kManifest, ""))));
        CPPUNIT_ASSERT(result.events.empty());
        payloads::assertIgnored(result, {"events[0]: mount, not a push", "events[1]: delete, not a push",
                                         "events[2]: push of application/octet-stream, not an image manifest",
                                         "events[3]: manifest pushed by digest, no tag"});
    }

    void testKeepsThePortOfTheRequestHost()
    {
        const std::string body =
            payloads::replaced(payloads::read("distribution-pull-with-tag.json"), R"("pull")", R"("push")");
        const auto result = _parser.parse(payloads::request(body));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), result.events.size());
        payloads::assertEvent(result.events[0], "192.168.100.227:5000", "hello-world", "latest",
                              "sha256:fea8895f450959fa676bcc1df0611ea93823a735a01205fd8622846041d0c7cf",
                              "320678d8-ca14-430f-8bb6-4ca139cd83f7");
    }

    void testInvalidDigestKeepsTheEventWithoutIt()
    {
        const std::string body =
            payloads::replaced(payloads::read("distribution-real-capture.json"), kDigest, "sha256:xxxx");
        const auto result = _parser.parse(payloads::request(body));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), result.events.size());
        CPPUNIT_ASSERT_EQUAL(std::string(), result.events[0].digest);
        payloads::assertIgnored(result,
                                {"events[0]: digest 'sha256:xxxx' is invalid: sha256 needs exactly 64 "
                                 "lower-case hex digits; the event is kept without a digest"});
    }

    void testOneBadEventDoesNotSpoilTheOthers()
    {
        const auto result = _parser.parse(payloads::request(envelope(
            R"(42, {"action": 7}, {"action": "push", "target": "x"},)"
            R"({"action": "push", "target": {"mediaType": ")" +
            kManifest + R"(", "tag": 5}}, {"action": "push", "target": {"tag": "v1", "repository": "a"}},)" +
            event("ok", "push", kManifest, "v2"))));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), result.events.size());
        CPPUNIT_ASSERT_EQUAL(std::string("v2"), result.events[0].tag);
        payloads::assertIgnored(result, {"events[0]: expected an object, got number",
                                         "events[1].action: expected a string, got number",
                                         "events[2].target: expected an object, got string",
                                         "events[3].target.tag: expected a string, got number",
                                         "events[4].request: missing"});
    }

    void testIgnoresInvalidRepository()
    {
        const auto result = _parser.parse(payloads::request(envelope(payloads::replaced(
            event("1", "push", kManifest, "v1", "reg.example.com"), "team/app", "Team/App"))));
        CPPUNIT_ASSERT(result.events.empty());
        payloads::assertIgnored(result, {"events[0]: invalid image reference 'reg.example.com/Team/App:v1': "
                                         "repository path must be lower case"});
    }

    void testRequiresTheEventsArray()
    {
        CPPUNIT_ASSERT_THROW(_parser.parse(payloads::request(R"({"events": {}})")), PayloadError);
        try
        {
            _parser.parse(payloads::request(R"({"other": 1})"));
            CPPUNIT_FAIL("accepted a body without events");
        }
        catch (const PayloadError& error)
        {
            CPPUNIT_ASSERT_EQUAL(std::string("events: missing"), std::string(error.what()));
        }
        const auto empty = _parser.parse(payloads::request(R"({"events": []})"));
        CPPUNIT_ASSERT(empty.events.empty() && empty.ignored.empty());
    }

    void testRecognizesItsContentTypesAndShape()
    {
        const std::string body = payloads::read("distribution.json");
        CPPUNIT_ASSERT(_parser.recognizesHeaders(payloads::request(
            "", {{"Content-Type", "application/vnd.docker.distribution.events.v1+json; charset=utf-8"}})));
        CPPUNIT_ASSERT(_parser.recognizesHeaders(
            payloads::request("", {{"content-type", "application/vnd.docker.distribution.events.v2+json"}})));
        CPPUNIT_ASSERT(!_parser.recognizesHeaders(payloads::request(body)));
        CPPUNIT_ASSERT(_parser.recognizesBody(payloads::request(body)));
        CPPUNIT_ASSERT(!_parser.recognizesBody(payloads::request(R"({"events": {}})")));
        CPPUNIT_ASSERT(!_parser.recognizes(payloads::request("not json")));
    }

private:
    DistributionParser _parser;
};

CPPUNIT_TEST_SUITE_REGISTRATION(DistributionParserTest);
