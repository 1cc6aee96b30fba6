#include "events/PayloadParsers.h"
#include "PayloadFixtures.h"
#include "events/PayloadError.h"
#include "events/UnknownSourceError.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>

#include <cppunit/extensions/HelperMacros.h>

#include <map>
#include <set>

using wiretap::events::PayloadError;
using wiretap::events::PayloadParsers;
using wiretap::events::UnknownSourceError;
using wiretap::events::WebhookRequest;

namespace
{
struct Expectation
{
    std::string format; ///< empty: no format, auto-detection throws PayloadError
    std::size_t events;
};

/// Every sample in tests/fixtures/payloads and the format it must be detected as.
const std::map<std::string, Expectation> kFixtures = {
    {"acr-delete.json", {"acr", 0}},
    {"acr-redacted-2023.json", {"acr", 1}},
    {"acr.json", {"acr", 1}},
    {"distribution-config-notifications.yml", {"", 0}}, // configuration, not a body
    {"distribution-delete-target.json", {"", 0}},       // a fragment of an event
    {"distribution-pull-with-tag.json", {"registry", 0}},
    {"distribution-real-capture.json", {"registry", 1}},
    {"distribution-v2.8-envelope-v1.json", {"registry", 0}},
    {"distribution.json", {"registry", 0}},
    {"dockerhub-callback.json", {"", 0}}, // what wiretap sends back, not a webhook
    {"dockerhub-legacy-with-images.json", {"dockerhub", 1}},
    {"dockerhub.json", {"dockerhub", 1}},
    {"gar-message-examples.jsonl", {"", 0}}, // three message data lines: see testDetectsGarMessageLines
    {"gar-pubsub.CONSTRUCTED.json", {"google", 1}},
    {"gcr-message-real-capture.json", {"google", 1}},
    {"ghcr-package-tagged-form.CONSTRUCTED.txt", {"", 0}}, // a form: see testFormIsReadForGitHubOnly
    {"ghcr-package.json", {"github", 0}},
    {"ghcr-real-capture-EXCERPT.txt", {"", 0}}, // fragments, not JSON
    {"ghcr-registry-package.json", {"github", 0}},
    {"gitlab-pipeline.json", {"", 0}}, // GitLab has no registry webhook
    {"harbor-by-digest.json", {"harbor", 0}},
    {"harbor-cloudevents.json", {"harbor", 0}},
    {"harbor.json", {"harbor", 1}},
    {"jfrog-artifactory.json", {"jfrog", 1}},
    {"pubsub-push-envelope-google-example.json", {"google", 0}},
    {"quay.json", {"quay", 1}},
    {"README.md", {"", 0}},
};
} // namespace

class PayloadParsersTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PayloadParsersTest);
    CPPUNIT_TEST(testEveryFixtureIsListed);
    CPPUNIT_TEST(testDetectsEveryFixtureAsItsOwnFormat);
    CPPUNIT_TEST(testDetectsEveryFixtureWithItsSendersHeaders);
    CPPUNIT_TEST(testDetectsGarMessageLines);
    CPPUNIT_TEST(testHeadersWinOverTheBodyShape);
    CPPUNIT_TEST(testNoFormatIsAPayloadError);
    CPPUNIT_TEST(testParseAsForcesTheNamedParser);
    CPPUNIT_TEST(testUnknownSourceIsADistinctError);
    CPPUNIT_TEST(testNamesInDetectionOrder);
    CPPUNIT_TEST(testFormIsReadForGitHubOnly);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { _parsers = std::make_unique<PayloadParsers>(PayloadParsers::standard()); }

    void testEveryFixtureIsListed()
    {
        std::set<std::string> files;
        for (Poco::DirectoryIterator it(std::string(WIRETAP_FIXTURES_DIR) + "/payloads"), end; it != end;
             ++it)
        {
            if (it->isFile())
                files.insert(it.name());
        }
        for (const auto& file : files)
            CPPUNIT_ASSERT_MESSAGE("fixture not classified in this test: " + file,
                                   kFixtures.count(file) == 1);
        for (const auto& [file, expectation] : kFixtures)
            CPPUNIT_ASSERT_MESSAGE("missing fixture: " + file, files.count(file) == 1);
    }

    void testDetectsEveryFixtureAsItsOwnFormat()
    {
        for (const auto& [file, expectation] : kFixtures)
            assertDetected(file, payloads::request(payloads::read(file)), expectation);
    }

    void testDetectsEveryFixtureWithItsSendersHeaders()
    {
        const std::map<std::string, WebhookRequest::Headers> senders = {
            {"registry", {{"Content-Type", "application/vnd.docker.distribution.events.v1+json"}}},
            {"github", {{"Content-Type", "application/json"}, {"X-GitHub-Event", "package"}}},
            {"jfrog", {{"Content-Type", "application/json"}, {"X-JFrog-Event-Auth", "secret"}}},
            {"harbor", {{"Content-Type", "application/json"}, {"Authorization", "Bearer x"}}},
            {"google", {{"Content-Type", "application/json"}, {"User-Agent", "APIs-Google"}}},
        };
        for (const auto& [file, expectation] : kFixtures)
        {
            const auto headers = senders.find(expectation.format);
            if (headers == senders.end())
                continue;
            auto sent = headers->second;
            if (file == "ghcr-registry-package.json")
                sent["X-GitHub-Event"] = "registry_package";
            assertDetected(file, payloads::request(payloads::read(file), sent), expectation);
        }
        const auto v3 =
            payloads::request(payloads::read("distribution-real-capture.json"),
                              {{"Content-Type", "application/vnd.docker.distribution.events.v2+json"}});
        CPPUNIT_ASSERT_EQUAL(std::string("registry"), _parsers->parse(v3).format);
    }

    void testDetectsGarMessageLines()
    {
        std::istringstream lines(payloads::read("gar-message-examples.jsonl"));
        std::string line;
        std::size_t count = 0;
        while (std::getline(lines, line))
        {
            CPPUNIT_ASSERT_EQUAL(std::string("google"), _parsers->parse(payloads::request(line)).format);
            CPPUNIT_ASSERT_EQUAL(std::string("google"),
                                 _parsers->parse(payloads::request(payloads::pubSubEnvelope(line))).format);
            ++count;
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), count);
    }

    void testHeadersWinOverTheBodyShape()
    {
        const auto github =
            payloads::request(payloads::read("dockerhub.json"), {{"X-GitHub-Event", "package"}});
        CPPUNIT_ASSERT_EQUAL(std::string("github"), _parsers->detect(github)->name());
        CPPUNIT_ASSERT_THROW(_parsers->parse(github), PayloadError); // no `package` object
        const auto registry =
            payloads::request(R"({"image": "app:v1"})",
                              {{"Content-Type", "application/vnd.docker.distribution.events.v1+json"}});
        CPPUNIT_ASSERT_EQUAL(std::string("registry"), _parsers->detect(registry)->name());
        // A header match needs no JSON: the parser then says what is wrong with the body.
        CPPUNIT_ASSERT_EQUAL(
            std::string("github"),
            _parsers->detect(payloads::request("not json", {{"X-GitHub-Event", "ping"}}))->name());
    }

    void testNoFormatIsAPayloadError()
    {
        try
        {
            _parsers->parse(payloads::request(payloads::read("gitlab-pipeline.json")));
            CPPUNIT_FAIL("detected a format in a GitLab pipeline event");
        }
        catch (const PayloadError& error)
        {
            CPPUNIT_ASSERT_EQUAL(
                std::string("body matches no known webhook format (github, registry, jfrog, harbor, "
                            "google, quay, dockerhub, acr, generic)"),
                std::string(error.what()));
        }
        CPPUNIT_ASSERT(_parsers->detect(payloads::request(R"({"unrelated": true})")) == nullptr);
    }

    void testParseAsForcesTheNamedParser()
    {
        const auto body = payloads::request(payloads::read("dockerhub.json"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _parsers->parseAs("dockerhub", body).events.size());
        CPPUNIT_ASSERT_EQUAL(std::string("dockerhub"), _parsers->parseAs("DockerHub", body).format);
        try
        {
            _parsers->parseAs("quay", body);
            CPPUNIT_FAIL("quay accepted a Docker Hub body");
        }
        catch (const PayloadError& error)
        {
            CPPUNIT_ASSERT_EQUAL(std::string("docker_url: missing"), std::string(error.what()));
        }
        // A generic body sent to /hooks/generic even though it also looks like ACR.
        const auto both = payloads::request(R"({"image": "app:v1", "action": "push", "target": {}})");
        CPPUNIT_ASSERT_EQUAL(std::string("acr"), _parsers->parse(both).format);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _parsers->parseAs("generic", both).events.size());
    }

    void testUnknownSourceIsADistinctError()
    {
        try
        {
            _parsers->parseAs("gitlab", payloads::request("{}"));
            CPPUNIT_FAIL("parsed with an unknown source");
        }
        catch (const PayloadError&)
        {
            CPPUNIT_FAIL("an unknown source is not a bad body");
        }
        catch (const UnknownSourceError& error)
        {
            CPPUNIT_ASSERT_EQUAL(std::string("gitlab"), error.source());
            CPPUNIT_ASSERT_EQUAL(
                std::string("unknown webhook source 'gitlab' (known: github, registry, jfrog, harbor, "
                            "google, quay, dockerhub, acr, generic)"),
                std::string(error.what()));
        }
        CPPUNIT_ASSERT(_parsers->find("") == nullptr);
    }

    void testNamesInDetectionOrder()
    {
        const std::vector<std::string> expected = {"github", "registry",  "jfrog", "harbor", "google",
                                                   "quay",   "dockerhub", "acr",   "generic"};
        CPPUNIT_ASSERT(expected == _parsers->names());
        for (const auto& name : expected)
            CPPUNIT_ASSERT_EQUAL(name, _parsers->find(name)->name());
    }

    void testFormIsReadForGitHubOnly()
    {
        const std::string form = payloads::read("ghcr-package-tagged-form.CONSTRUCTED.txt");
        const WebhookRequest::Headers github = {{"Content-Type", "application/x-www-form-urlencoded"},
                                                {"X-GitHub-Event", "package"}};
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _parsers->parse(payloads::request(form, github)).events.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1),
                             _parsers->parseAs("github", payloads::request(form, github)).events.size());
        try
        {
            _parsers->parse(payloads::request(form, {{"Content-Type", "application/x-www-form-urlencoded"}}));
            CPPUNIT_FAIL("a form without X-GitHub-Event was read");
        }
        catch (const PayloadError& error)
        {
            CPPUNIT_ASSERT_EQUAL(
                std::string("body is not a JSON object (a form-encoded body is read as a form only "
                            "from GitHub, with its X-GitHub-Event header)"),
                std::string(error.what()));
        }
        // `curl --data @wh.json` labels JSON as a form: every other format reads the body as JSON.
        const auto curl = payloads::request(payloads::read("dockerhub.json"),
                                            {{"Content-Type", "application/x-www-form-urlencoded"}});
        CPPUNIT_ASSERT_EQUAL(std::string("dockerhub"), _parsers->parse(curl).format);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _parsers->parseAs("dockerhub", curl).events.size());
    }

private:
    void assertDetected(const std::string& file, const WebhookRequest& request,
                        const Expectation& expectation)
    {
        if (expectation.format.empty())
        {
            CPPUNIT_ASSERT_THROW_MESSAGE(file, _parsers->parse(request), PayloadError);
            return;
        }
        const auto result = _parsers->parse(request);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(file, expectation.format, result.format);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(file, expectation.events, result.events.size());
        CPPUNIT_ASSERT_MESSAGE(file, _parsers->find(expectation.format)->recognizes(request));
    }

    std::unique_ptr<PayloadParsers> _parsers;
};

CPPUNIT_TEST_SUITE_REGISTRATION(PayloadParsersTest);
