#include "http/WebhookAuthenticator.h"
#include "http/Hmac.h"

#include <cppunit/extensions/HelperMacros.h>

using wiretap::http::WebhookAuthenticator;

class WebhookAuthenticatorTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(WebhookAuthenticatorTest);
    CPPUNIT_TEST(testHmacMatchesGithubsPublishedVector);
    CPPUNIT_TEST(testHmacMatchesRfc4231Case2);
    CPPUNIT_TEST(testConstantTimeEqualsComparesWholeStrings);
    CPPUNIT_TEST(testQueryTokenIsAccepted);
    CPPUNIT_TEST(testBearerAndBareAuthorizationAreAccepted);
    CPPUNIT_TEST(testGitlabTokenIsAccepted);
    CPPUNIT_TEST(testGithubSignatureOverRawBodyIsAccepted);
    CPPUNIT_TEST(testGithubSignatureOfAnotherBodyIsRejected);
    CPPUNIT_TEST(testJfrogPlainSecretAndSignatureAreAccepted);
    CPPUNIT_TEST(testMissingCredentialsAreRejected);
    CPPUNIT_TEST(testOneInvalidCredentialSpoilsAValidOne);
    CPPUNIT_TEST(testPubSubOidcTokenNextToTheQueryTokenIsNotACredential);
    CPPUNIT_TEST(testSourceTokenOverridesSharedToken);
    CPPUNIT_TEST(testNoTokenConfiguredRejectsUnlessAllowed);
    CPPUNIT_TEST(testReasonsNeverContainTheSecret);
    CPPUNIT_TEST_SUITE_END();

public:
    void testHmacMatchesGithubsPublishedVector()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"),
                             wiretap::http::hmacSha256Hex("It's a Secret to Everybody", "Hello, World!"));
    }

    void testHmacMatchesRfc4231Case2()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
                             wiretap::http::hmacSha256Hex("Jefe", "what do ya want for nothing?"));
    }

    void testConstantTimeEqualsComparesWholeStrings()
    {
        using wiretap::http::constantTimeEquals;
        CPPUNIT_ASSERT(constantTimeEquals("secret", "secret"));
        CPPUNIT_ASSERT(!constantTimeEquals("secret", "secreT"));
        CPPUNIT_ASSERT(!constantTimeEquals("secret", "secret2"));
        CPPUNIT_ASSERT(!constantTimeEquals("secret", ""));
        CPPUNIT_ASSERT(constantTimeEquals("", ""));
    }

    void testQueryTokenIsAccepted()
    {
        CPPUNIT_ASSERT(auth().authenticate("dockerhub", {}, "s3cret", "{}").accepted);
    }

    void testBearerAndBareAuthorizationAreAccepted()
    {
        CPPUNIT_ASSERT(
            auth().authenticate("registry", {{"authorization", "Bearer s3cret"}}, "", "{}").accepted);
        CPPUNIT_ASSERT(
            auth().authenticate("registry", {{"authorization", "bearer  s3cret "}}, "", "{}").accepted);
        CPPUNIT_ASSERT(auth().authenticate("harbor", {{"authorization", "s3cret"}}, "", "{}").accepted);
    }

    void testGitlabTokenIsAccepted()
    {
        CPPUNIT_ASSERT(auth().authenticate("registry", {{"x-gitlab-token", "s3cret"}}, "", "{}").accepted);
    }

    void testGithubSignatureOverRawBodyIsAccepted()
    {
        const std::string body = "{\"action\":\"published\"}";
        const std::string signature = "sha256=" + wiretap::http::hmacSha256Hex("s3cret", body);
        CPPUNIT_ASSERT(
            auth().authenticate("github", {{"x-hub-signature-256", signature}}, "", body).accepted);
    }

    void testGithubSignatureOfAnotherBodyIsRejected()
    {
        const std::string signature = "sha256=" + wiretap::http::hmacSha256Hex("s3cret", "{}");
        const auto result = auth().authenticate("github", {{"x-hub-signature-256", signature}}, "", "{ }");
        CPPUNIT_ASSERT(!result.accepted);
        CPPUNIT_ASSERT_EQUAL(std::string("invalid credentials in X-Hub-Signature-256 header"), result.reason);
    }

    void testJfrogPlainSecretAndSignatureAreAccepted()
    {
        const std::string body = "{\"domain\":\"docker\"}";
        CPPUNIT_ASSERT(auth().authenticate("jfrog", {{"x-jfrog-event-auth", "s3cret"}}, "", body).accepted);
        CPPUNIT_ASSERT(
            auth()
                .authenticate("jfrog", {{"x-jfrog-event-auth", wiretap::http::hmacSha256Hex("s3cret", body)}},
                              "", body)
                .accepted);
        CPPUNIT_ASSERT(!auth().authenticate("jfrog", {{"x-jfrog-event-auth", "nope"}}, "", body).accepted);
    }

    void testMissingCredentialsAreRejected()
    {
        const auto result =
            auth().authenticate("dockerhub", {{"content-type", "application/json"}}, "", "{}");
        CPPUNIT_ASSERT(!result.accepted);
        CPPUNIT_ASSERT(result.reason.find("missing credentials") == 0);
    }

    void testOneInvalidCredentialSpoilsAValidOne()
    {
        const auto result =
            auth().authenticate("registry", {{"authorization", "Bearer wrong"}}, "s3cret", "{}");
        CPPUNIT_ASSERT(!result.accepted);
        CPPUNIT_ASSERT_EQUAL(std::string("invalid credentials in Authorization header"), result.reason);
    }

    void testPubSubOidcTokenNextToTheQueryTokenIsNotACredential()
    {
        const std::map<std::string, std::string> oidc = {
            {"authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ3aXJldGFwIn0.c2lnbmF0dXJl"}};
        CPPUNIT_ASSERT(auth().authenticate("google", oidc, "s3cret", "{}").accepted);
        CPPUNIT_ASSERT(!auth().authenticate("google", oidc, "wrong", "{}").accepted);
        CPPUNIT_ASSERT(!auth().authenticate("google", oidc, "", "{}").accepted); // alone, it is checked
    }

    void testSourceTokenOverridesSharedToken()
    {
        WebhookAuthenticator authenticator("s3cret", {{"quay", "quay-only"}}, false);
        CPPUNIT_ASSERT(authenticator.authenticate("quay", {}, "quay-only", "{}").accepted);
        CPPUNIT_ASSERT(!authenticator.authenticate("quay", {}, "s3cret", "{}").accepted);
        CPPUNIT_ASSERT(authenticator.authenticate("dockerhub", {}, "s3cret", "{}").accepted);
    }

    void testNoTokenConfiguredRejectsUnlessAllowed()
    {
        CPPUNIT_ASSERT(!WebhookAuthenticator("", {}, false).authenticate("dockerhub", {}, "", "{}").accepted);
        CPPUNIT_ASSERT(WebhookAuthenticator("", {}, true).authenticate("dockerhub", {}, "", "{}").accepted);
    }

    void testReasonsNeverContainTheSecret()
    {
        const auto result = auth().authenticate("registry", {{"authorization", "Bearer s3cre"}}, "", "{}");
        CPPUNIT_ASSERT(result.reason.find("s3cre") == std::string::npos);
    }

private:
    static WebhookAuthenticator auth() { return WebhookAuthenticator("s3cret", {}, false); }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WebhookAuthenticatorTest);
