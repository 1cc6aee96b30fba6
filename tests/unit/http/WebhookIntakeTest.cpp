#include "http/WebhookIntake.h"
#include "../events/PayloadFixtures.h"
#include "deploy/DeployQueue.h"
#include "events/FormField.h"
#include "http/Hmac.h"

#include <Poco/JSON/Array.h>

#include <cppunit/extensions/HelperMacros.h>

#include <memory>
#include <mutex>

using wiretap::config::IntakeSettings;
using wiretap::deploy::DeployQueue;
using wiretap::deploy::DeployRequest;
using wiretap::events::WebhookRequest;
using wiretap::http::WebhookIntake;
using Status = Poco::Net::HTTPResponse::HTTPStatus;

/// The intake from a parsed request to the deploy queue, on recorded payloads.
class WebhookIntakeTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(WebhookIntakeTest);
    CPPUNIT_TEST(testDockerHubPushWithQueryTokenIsAcceptedAndQueued);
    CPPUNIT_TEST(testWrongTokenIsRejectedAndNothingIsQueued);
    CPPUNIT_TEST(testMissingTokenIsRejected);
    CPPUNIT_TEST(testGarbageWithoutTokenIs401NotParsed);
    CPPUNIT_TEST(testGarbageWithTokenIs400);
    CPPUNIT_TEST(testNothingActionableIs200WithReasons);
    CPPUNIT_TEST(testSameDeliveryTwiceIsAcceptedOnce);
    CPPUNIT_TEST(testForcedSourceUsesThatParser);
    CPPUNIT_TEST(testUnknownSourceIs404);
    CPPUNIT_TEST(testSourceTokenOverridesSharedToken);
    CPPUNIT_TEST(testInvalidSingleImageReferenceIs400);
    CPPUNIT_TEST(testGitHubFormIsSignedOverTheRawBody);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _settings.token = "s3cret";
        _settings.sourceTokens.clear();
        _runs.clear();
        makeIntake();
    }

    void tearDown() override
    {
        _intake.reset();
        _queue.reset();
    }

    void testDockerHubPushWithQueryTokenIsAcceptedAndQueued()
    {
        const auto answer = handle("", payloads::read("dockerhub.json"), {{"token", "s3cret"}});
        CPPUNIT_ASSERT_EQUAL(Status::HTTP_ACCEPTED, answer.status);
        const auto accepted = answer.body->getArray("accepted");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), accepted->size());
        CPPUNIT_ASSERT_EQUAL(std::string("svendowideit/testhook"),
                             accepted->getObject(0)->getValue<std::string>("image"));
        CPPUNIT_ASSERT_EQUAL(std::string("latest"), accepted->getObject(0)->getValue<std::string>("tag"));
        CPPUNIT_ASSERT(answer.body->has("id"));
        CPPUNIT_ASSERT(_queue->waitIdle(Poco::Timespan(10, 0)));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), runs().size());
        CPPUNIT_ASSERT_EQUAL(std::string("docker.io/svendowideit/testhook:latest"), runs()[0].key);
    }

    void testWrongTokenIsRejectedAndNothingIsQueued()
    {
        for (int i = 0; i < 50; ++i)
        {
            const auto answer =
                handle("", payloads::read("dockerhub.json"), {{"token", "guess" + std::to_string(i)}});
            CPPUNIT_ASSERT_EQUAL(Status::HTTP_UNAUTHORIZED, answer.status);
            CPPUNIT_ASSERT_EQUAL(std::string("invalid credentials in token query parameter"),
                                 answer.body->getValue<std::string>("error"));
        }
        CPPUNIT_ASSERT(_queue->waitIdle(Poco::Timespan(1, 0)));
        CPPUNIT_ASSERT(runs().empty());
    }

    void testMissingTokenIsRejected()
    {
        CPPUNIT_ASSERT_EQUAL(Status::HTTP_UNAUTHORIZED, handle("", payloads::read("dockerhub.json")).status);
    }

    void testGarbageWithoutTokenIs401NotParsed()
    {
        CPPUNIT_ASSERT_EQUAL(Status::HTTP_UNAUTHORIZED, handle("", "{not json").status);
    }

    void testGarbageWithTokenIs400()
    {
        const auto answer = handle("", "{not json", {{"token", "s3cret"}});
        CPPUNIT_ASSERT_EQUAL(Status::HTTP_BAD_REQUEST, answer.status);
        CPPUNIT_ASSERT(!answer.body->getValue<std::string>("error").empty());
        CPPUNIT_ASSERT_EQUAL(Status::HTTP_BAD_REQUEST,
                             handle("", "{\"hello\":1}", {{"token", "s3cret"}}).status);
    }

    void testNothingActionableIs200WithReasons()
    {
        const auto answer =
            handle("", payloads::read("distribution-pull-with-tag.json"), {{"token", "s3cret"}},
                   {{"Content-Type", "application/vnd.docker.distribution.events.v1+json"}});
        CPPUNIT_ASSERT_EQUAL(Status::HTTP_OK, answer.status);
        CPPUNIT_ASSERT(answer.body->getArray("ignored")->size() >= 1);
        CPPUNIT_ASSERT(!answer.body->has("accepted"));
    }

    void testSameDeliveryTwiceIsAcceptedOnce()
    {
        const std::string body = payloads::read("distribution-real-capture.json");
        const WebhookRequest::Headers headers{
            {"Content-Type", "application/vnd.docker.distribution.events.v1+json"},
            {"Authorization", "Bearer s3cret"}};
        CPPUNIT_ASSERT_EQUAL(Status::HTTP_ACCEPTED, handle("", body, {}, headers).status);
        const auto again = handle("", body, {}, headers);
        CPPUNIT_ASSERT_EQUAL(Status::HTTP_OK, again.status);
        CPPUNIT_ASSERT(again.body->getArray("ignored")->getElement<std::string>(0).find("already accepted") !=
                       std::string::npos);
        CPPUNIT_ASSERT(_queue->waitIdle(Poco::Timespan(10, 0)));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), runs().size());
    }

    void testForcedSourceUsesThatParser()
    {
        const auto answer =
            handle("generic", "{\"image\":\"127.0.0.1:5000/demo/app:v2\"}", {{"token", "s3cret"}});
        CPPUNIT_ASSERT_EQUAL(Status::HTTP_ACCEPTED, answer.status);
        CPPUNIT_ASSERT_EQUAL(std::string("v2"),
                             answer.body->getArray("accepted")->getObject(0)->getValue<std::string>("tag"));
        CPPUNIT_ASSERT_EQUAL(Status::HTTP_BAD_REQUEST,
                             handle("generic", payloads::read("quay.json"), {{"token", "s3cret"}}).status);
    }

    void testUnknownSourceIs404()
    {
        const auto answer = handle("nexus", "{}", {{"token", "s3cret"}});
        CPPUNIT_ASSERT_EQUAL(Status::HTTP_NOT_FOUND, answer.status);
        CPPUNIT_ASSERT(answer.body->getValue<std::string>("error").find("unknown webhook source 'nexus'") ==
                       0);
    }

    void testSourceTokenOverridesSharedToken()
    {
        _settings.sourceTokens["quay"] = "quay-secret";
        makeIntake();
        CPPUNIT_ASSERT_EQUAL(Status::HTTP_UNAUTHORIZED,
                             handle("", payloads::read("quay.json"), {{"token", "s3cret"}}).status);
        CPPUNIT_ASSERT_EQUAL(Status::HTTP_ACCEPTED,
                             handle("", payloads::read("quay.json"), {{"token", "quay-secret"}}).status);
    }

    void testInvalidSingleImageReferenceIs400()
    {
        const auto answer = handle("generic", "{\"image\":\"User/App:latest\"}", {{"token", "s3cret"}});
        CPPUNIT_ASSERT_EQUAL(Status::HTTP_BAD_REQUEST, answer.status);
    }

    void testGitHubFormIsSignedOverTheRawBody()
    {
        const std::string form = payloads::read("ghcr-package-tagged-form.CONSTRUCTED.txt");
        const auto signedForm = [](const std::string& body, const std::string& key)
        {
            return WebhookRequest::Headers{
                {"Content-Type", "application/x-www-form-urlencoded"},
                {"X-GitHub-Event", "package"},
                {"X-Hub-Signature-256", "sha256=" + wiretap::http::hmacSha256Hex(key, body)}};
        };
        for (const std::string source : {"", "github"})
        {
            CPPUNIT_ASSERT_EQUAL(Status::HTTP_ACCEPTED,
                                 handle(source, form, {}, signedForm(form, "s3cret")).status);
            // Signed over the decoded JSON instead of the raw form: refused.
            const std::string json = wiretap::events::formField(form, "payload");
            CPPUNIT_ASSERT_EQUAL(Status::HTTP_UNAUTHORIZED,
                                 handle(source, form, {}, signedForm(json, "s3cret")).status);
            CPPUNIT_ASSERT_EQUAL(
                Status::HTTP_UNAUTHORIZED,
                handle(source, "payload=%zz", {}, signedForm("payload=%zz", "guess")).status);
            const auto broken = handle(source, "payload=%zz", {}, signedForm("payload=%zz", "s3cret"));
            CPPUNIT_ASSERT_EQUAL(Status::HTTP_BAD_REQUEST, broken.status);
            CPPUNIT_ASSERT_EQUAL(std::string("form body has a bad percent-encoding at byte 8: '%zz'"),
                                 broken.body->getValue<std::string>("error"));
        }
    }

private:
    void makeIntake()
    {
        _intake.reset();
        _queue = std::make_unique<DeployQueue>(
            [this](const DeployRequest& request)
            {
                std::lock_guard<std::mutex> lock(_mutex);
                _runs.push_back(request);
            },
            2, 100);
        _metrics = std::make_unique<wiretap::metrics::Metrics>();
        WebhookIntake::describe(*_metrics);
        _intake = std::make_unique<WebhookIntake>(_settings, *_queue, *_metrics);
    }

    WebhookIntake::Answer
    handle(const std::string& source, const std::string& body, const WebhookRequest::Query& query = {},
           const WebhookRequest::Headers& headers = {{"Content-Type", "application/json"}})
    {
        return _intake->handle(source, WebhookRequest(headers, body, query), "127.0.0.1:40000");
    }

    std::vector<DeployRequest> runs()
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _runs;
    }

    IntakeSettings _settings;
    std::mutex _mutex;
    std::vector<DeployRequest> _runs;
    std::unique_ptr<wiretap::metrics::Metrics> _metrics;
    std::unique_ptr<DeployQueue> _queue;
    std::unique_ptr<WebhookIntake> _intake;
};

CPPUNIT_TEST_SUITE_REGISTRATION(WebhookIntakeTest);
