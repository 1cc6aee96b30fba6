#include "config/SecretMask.h"

#include <cppunit/extensions/HelperMacros.h>

using wiretap::config::isSecretKey;
using wiretap::config::maskedValue;

class SecretMaskTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SecretMaskTest);
    CPPUNIT_TEST(testTokenSecretPasswordAndHmacKeysAreSecret);
    CPPUNIT_TEST(testPathsAndOrdinaryKeysAreNot);
    CPPUNIT_TEST(testSecretValuesAreMaskedWithoutTheirLength);
    CPPUNIT_TEST(testUrlPasswordIsMaskedUserKept);
    CPPUNIT_TEST(testUrlTokenAsUserIsMasked);
    CPPUNIT_TEST(testQueryValuesAreMaskedNamesKept);
    CPPUNIT_TEST(testGeneratedPathSegmentsAreMasked);
    CPPUNIT_TEST(testPlainUrlIsUnchanged);
    CPPUNIT_TEST(testFragmentIsMasked);
    CPPUNIT_TEST_SUITE_END();

public:
    void testTokenSecretPasswordAndHmacKeysAreSecret()
    {
        for (const char* key : {"wiretap.token", "hooks.github.token", "notify.secret", "db.password",
                                "x.hmacKey", "x.apiKey", "registry.credentials", "A.PASSWD"})
            CPPUNIT_ASSERT_MESSAGE(key, isSecretKey(key));
    }

    void testPathsAndOrdinaryKeysAreNot()
    {
        for (const char* key :
             {"docker.tlsKey", "docker.tlsCert", "http.port", "notify.url", "tokenizer.x.y"})
            CPPUNIT_ASSERT_MESSAGE(key, !isSecretKey(key));
    }

    void testSecretValuesAreMaskedWithoutTheirLength()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("********"), maskedValue("wiretap.token", "t"));
        CPPUNIT_ASSERT_EQUAL(std::string("********"), maskedValue("hooks.quay.token", std::string(64, 'x')));
        CPPUNIT_ASSERT_EQUAL(std::string(""), maskedValue("wiretap.token", ""));
    }

    void testUrlPasswordIsMaskedUserKept()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("https://deploy:********@ci.example.com/hook"),
                             maskedValue("notify.url", "https://deploy:hunter2@ci.example.com/hook"));
    }

    void testUrlTokenAsUserIsMasked()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("https://********@api.example.com:8443/x"),
                             maskedValue("notify.url", "https://ghp_abc123@api.example.com:8443/x"));
    }

    void testQueryValuesAreMaskedNamesKept()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("http://h/notify?token=********&channel=********&flag"),
                             maskedValue("notify.url", "http://h/notify?token=s3cr3t&channel=ops&flag"));
    }

    void testGeneratedPathSegmentsAreMasked()
    {
        CPPUNIT_ASSERT_EQUAL(
            std::string("https://hooks.slack.com/services/T0001/B0002/********"),
            maskedValue("notify.url",
                        "https://hooks.slack.com/services/T0001/B0002/a1B2c3D4e5F6g7H8i9J0k1L2"));
        CPPUNIT_ASSERT_EQUAL(std::string("https://discord.com/api/webhooks/1234567890123456789/********"),
                             maskedValue("notify.url", "https://discord.com/api/webhooks/1234567890123456789/"
                                                       "AbCdEf-123_ghIJ456klMN789"));
    }

    void testPlainUrlIsUnchanged()
    {
        CPPUNIT_ASSERT_EQUAL(
            std::string("https://wiretap.example.com/deployments/recent"),
            maskedValue("notify.publicUrl", "https://wiretap.example.com/deployments/recent"));
        CPPUNIT_ASSERT_EQUAL(std::string("unix:///var/run/docker.sock"),
                             maskedValue("docker.host", "unix:///var/run/docker.sock"));
    }

    void testFragmentIsMasked()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("https://h/p#********"),
                             maskedValue("notify.url", "https://h/p#secret"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SecretMaskTest);
