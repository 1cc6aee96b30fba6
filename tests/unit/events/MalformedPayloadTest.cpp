// Garbage in, PayloadError or ignored reasons out: every parser, through
// detection and by name, on bodies that are not JSON objects, truncated
// samples, and every sample with each field replaced, removed or made huge.
#include "PayloadFixtures.h"
#include "events/PayloadError.h"
#include "events/PayloadParsers.h"
#include "events/ReferenceGrammar.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

#include <functional>

using wiretap::events::ParseResult;
using wiretap::events::PayloadError;
using wiretap::events::PayloadParsers;
using wiretap::events::ReferenceGrammar;

namespace
{
const std::vector<std::string> kJsonFixtures = {"acr-delete.json",
                                                "acr-redacted-2023.json",
                                                "acr.json",
                                                "distribution-delete-target.json",
                                                "distribution-pull-with-tag.json",
                                                "distribution-real-capture.json",
                                                "distribution-v2.8-envelope-v1.json",
                                                "distribution.json",
                                                "dockerhub-callback.json",
                                                "dockerhub-legacy-with-images.json",
                                                "dockerhub.json",
                                                "gar-pubsub.CONSTRUCTED.json",
                                                "gcr-message-real-capture.json",
                                                "ghcr-package.json",
                                                "ghcr-registry-package.json",
                                                "gitlab-pipeline.json",
                                                "harbor-by-digest.json",
                                                "harbor-cloudevents.json",
                                                "harbor.json",
                                                "jfrog-artifactory.json",
                                                "pubsub-push-envelope-google-example.json",
                                                "quay.json"};

using Visit = std::function<void(const std::string&)>;

/// Calls `visit` with the body of `root` once per value of the tree, with that
/// value replaced by `replacement` (or removed when `replacement` is empty).
void mutateEach(const Poco::JSON::Object::Ptr& root, const Poco::Dynamic::Var& node,
                const Poco::Dynamic::Var& replacement, const Visit& visit)
{
    const auto body = [&root]()
    {
        std::ostringstream out;
        root->stringify(out);
        return out.str();
    };
    if (node.type() == typeid(Poco::JSON::Object::Ptr))
    {
        Poco::JSON::Object::Ptr object = node.extract<Poco::JSON::Object::Ptr>();
        std::vector<std::string> keys;
        object->getNames(keys);
        for (const auto& key : keys)
        {
            const Poco::Dynamic::Var original = object->get(key);
            if (replacement.isEmpty())
                object->remove(key);
            else
                object->set(key, replacement);
            visit(body());
            object->set(key, original);
            mutateEach(root, original, replacement, visit);
        }
    }
    else if (node.type() == typeid(Poco::JSON::Array::Ptr))
    {
        Poco::JSON::Array::Ptr array = node.extract<Poco::JSON::Array::Ptr>();
        for (unsigned int i = 0; i < array->size(); ++i)
        {
            const Poco::Dynamic::Var original = array->get(i);
            array->set(i, replacement);
            visit(body());
            array->set(i, original);
            mutateEach(root, original, replacement, visit);
        }
    }
}

void mutateEachFixture(const Poco::Dynamic::Var& replacement, const Visit& visit)
{
    for (const auto& fixture : kJsonFixtures)
    {
        const auto root =
            Poco::JSON::Parser().parse(payloads::read(fixture)).extract<Poco::JSON::Object::Ptr>();
        mutateEach(root, root, replacement, visit);
    }
}

/// What any result must satisfy, whatever the body.
void assertWellFormed(const ParseResult& result, const std::string& body)
{
    const std::string context = "body: " + body.substr(0, 300);
    CPPUNIT_ASSERT_MESSAGE(context, !result.format.empty());
    for (const auto& event : result.events)
    {
        CPPUNIT_ASSERT_NO_THROW_MESSAGE(context, event.reference());
        CPPUNIT_ASSERT_MESSAGE(context,
                               event.digest.empty() || ReferenceGrammar::digestProblem(event.digest).empty());
    }
    for (const auto& reason : result.ignored)
        CPPUNIT_ASSERT_MESSAGE(context + "\nreason: " + reason.substr(0, 300), reason.size() < 1000);
}

std::string huge(const std::string& unit)
{
    std::string text;
    while (text.size() < (1u << 20))
        text += unit;
    return text;
}
} // namespace

class MalformedPayloadTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(MalformedPayloadTest);
    CPPUNIT_TEST(testBodiesThatAreNoJsonObjectAreRejected);
    CPPUNIT_TEST(testAcceptsAByteOrderMark);
    CPPUNIT_TEST(testTruncatedSamplesAreRejected);
    CPPUNIT_TEST(testDeepNestingIsRejected);
    CPPUNIT_TEST(testNumbersTooBigForJsonAreRejected);
    CPPUNIT_TEST(testEveryFieldOfEveryTypeInEverySample);
    CPPUNIT_TEST(testEveryFieldRemovedFromEverySample);
    CPPUNIT_TEST(testHugeAndUnicodeStringsInEveryField);
    CPPUNIT_TEST(testIgnoredReasonsAreCapped);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { _parsers = std::make_unique<PayloadParsers>(PayloadParsers::standard()); }

    void testBodiesThatAreNoJsonObjectAreRejected()
    {
        const std::vector<std::pair<std::string, std::string>> cases = {
            {"", "body is empty, expected a JSON object"},
            {" \r\n\t", "body is empty, expected a JSON object"},
            {"null", "body is not a JSON object"},
            {"42", "body is not a JSON object"},
            {"\"image\"", "body is not a JSON object"},
            {"true", "body is not a JSON object"},
            {"[]", "body is a JSON array, expected a JSON object"},
            {R"([{"image": "app:v1"}])", "body is a JSON array, expected a JSON object"},
            {"{", "body is not valid JSON: unexpected end of text"},
            {R"({"image": "app:v1"} trailing)",
             "body is not valid JSON: Excess characters found after JSON end"},
            {"{\"image\": \"app\xff\"}", "body is not valid JSON: "},
            {"{\"image\": \"a\\ud800\"}", "body is not valid JSON: "},
            {std::string("{\"image\": \"a\0b\"}", 15), "body is not valid JSON: "},
            {"{'image': 'app'}", "body is not valid JSON: "},
        };
        for (const auto& [body, message] : cases)
        {
            assertOnlyPayloadErrors(body, message);
            CPPUNIT_ASSERT_THROW_MESSAGE(body, _parsers->parse(payloads::request(body)), PayloadError);
        }
    }

    void testAcceptsAByteOrderMark()
    {
        const auto result =
            _parsers->parse(payloads::request("\xEF\xBB\xBF" + payloads::read("dockerhub.json")));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), result.events.size());
    }

    void testTruncatedSamplesAreRejected()
    {
        for (const auto& fixture : kJsonFixtures)
        {
            const std::string body = payloads::read(fixture);
            for (const std::size_t length :
                 {body.size() / 4, body.size() / 2, body.size() * 3 / 4, body.rfind('}')})
                assertOnlyPayloadErrors(body.substr(0, length), "body is not valid JSON: ");
        }
    }

    void testDeepNestingIsRejected()
    {
        const std::string deep = R"({"events": )" + std::string(100000, '[') + std::string(100000, ']') + "}";
        assertOnlyPayloadErrors(deep, "body is not valid JSON: Maximum depth exceeded");
        std::string nested = R"({"image": "app:v1", "x": )";
        for (int i = 0; i < 60; ++i)
            nested += R"({"a": )";
        nested += "1" + std::string(60, '}') + "}";
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _parsers->parse(payloads::request(nested)).events.size());
    }

    void testNumbersTooBigForJsonAreRejected()
    {
        assertOnlyPayloadErrors(R"({"push_data": {"tag": 123456789012345678901234567890}, "repository": {}})",
                                "body is not valid JSON: ");
        assertOnlyPayloadErrors(
            R"({"push_data": {"pushed_at": 1e400}, "repository": {"repo_name": "u/app"}})",
            "body is not valid JSON: Not a valid floating-point number: 1e400");
    }

    void testEveryFieldOfEveryTypeInEverySample()
    {
        const std::vector<Poco::Dynamic::Var> replacements = {
            Poco::Dynamic::Var(42),
            Poco::Dynamic::Var(-1.5),
            Poco::Dynamic::Var(true),
            Poco::Dynamic::Var(std::string("x")),
            Poco::Dynamic::Var(std::string()),
            Poco::Dynamic::Var(Poco::JSON::Object::Ptr(new Poco::JSON::Object)),
            Poco::Dynamic::Var(Poco::JSON::Array::Ptr(new Poco::JSON::Array))};
        std::size_t bodies = 0;
        for (const auto& replacement : replacements)
            mutateEachFixture(replacement,
                              [&](const std::string& body) { assertOnlyPayloadErrors(body), ++bodies; });
        CPPUNIT_ASSERT(bodies > 5000);
    }

    void testEveryFieldRemovedFromEverySample()
    {
        // An empty Var removes object members and puts null into arrays.
        mutateEachFixture(Poco::Dynamic::Var(),
                          [&](const std::string& body) { assertOnlyPayloadErrors(body); });
    }

    void testHugeAndUnicodeStringsInEveryField()
    {
        for (const std::string& text : {huge("a"), huge("\xc3\xbc\xe2\x9c\x93"),
                                        std::string("caf\xc3\xa9:\xe2\x9c\x93"), std::string("\x01\x7f\\\"")})
        {
            for (const auto& fixture : {"acr.json", "distribution-real-capture.json", "dockerhub.json",
                                        "harbor.json", "harbor-cloudevents.json", "jfrog-artifactory.json",
                                        "quay.json", "gcr-message-real-capture.json"})
            {
                const auto root =
                    Poco::JSON::Parser().parse(payloads::read(fixture)).extract<Poco::JSON::Object::Ptr>();
                mutateEach(root, root, Poco::Dynamic::Var(text),
                           [&](const std::string& body) { assertOnlyPayloadErrors(body); });
            }
        }
        assertOnlyPayloadErrors(
            payloads::pubSubEnvelope(R"({"action":"INSERT","tag":")" + huge("a") + "\"}"));
    }

    void testIgnoredReasonsAreCapped()
    {
        std::string events;
        for (int i = 0; i < 5000; ++i)
            events += std::string(i == 0 ? "" : ",") + R"({"id": ")" + std::to_string(i) +
                      R"(", "action": "pull"})";
        const auto result = _parsers->parse(payloads::request(R"({"events": [)" + events + "]}"));
        CPPUNIT_ASSERT_EQUAL(ParseResult::kMaxIgnored, result.ignored.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(5000) - ParseResult::kMaxIgnored, result.omitted);
        CPPUNIT_ASSERT_EQUAL(ParseResult::kMaxDeliveryIds, result.deliveryIds.size());
    }

private:
    /// Every parser by name and the detection path either return a
    /// well-formed result or throw PayloadError (starting with `message`).
    void assertOnlyPayloadErrors(const std::string& body, const std::string& message = "")
    {
        const auto request = payloads::request(body);
        std::vector<std::string> sources = _parsers->names();
        sources.push_back(""); // detection
        for (const auto& source : sources)
        {
            try
            {
                const auto result =
                    source.empty() ? _parsers->parse(request) : _parsers->parseAs(source, request);
                CPPUNIT_ASSERT_MESSAGE("accepted by " + source + ": " + body.substr(0, 200), message.empty());
                assertWellFormed(result, body);
            }
            catch (const PayloadError& error)
            {
                const std::string what = error.what();
                CPPUNIT_ASSERT_MESSAGE(what, what.rfind(message, 0) == 0);
                CPPUNIT_ASSERT_MESSAGE(what.substr(0, 300), what.size() < 4000);
            }
        }
    }

    std::unique_ptr<PayloadParsers> _parsers;
};

CPPUNIT_TEST_SUITE_REGISTRATION(MalformedPayloadTest);
