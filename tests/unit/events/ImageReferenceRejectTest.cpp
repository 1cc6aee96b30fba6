#include "events/ImageReference.h"
#include "events/ReferenceError.h"

#include <cppunit/extensions/HelperMacros.h>

using wiretap::events::ImageReference;
using wiretap::events::ReferenceError;

namespace
{
const std::string kHex64 = "80f0d5c8786bb9e621a45ece0db56d11cdc624ad20da9fe62e9d25490f331d7d";

/// Parsing `text` fails with a message containing `problem`.
void assertRejected(const std::string& text, const std::string& problem)
{
    try
    {
        const auto reference = ImageReference::parse(text);
        CPPUNIT_FAIL("accepted " + text + " as " + reference.normalized());
    }
    catch (const ReferenceError& error)
    {
        const std::string message = error.what();
        CPPUNIT_ASSERT_MESSAGE(message, message.find(problem) != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(message, message.rfind("invalid image reference ", 0) == 0);
    }
}
} // namespace

/// Invalid references: each is refused with a message that says why.
class ImageReferenceRejectTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ImageReferenceRejectTest);
    CPPUNIT_TEST(testRejectsEmpty);
    CPPUNIT_TEST(testBare64HexIsAnImageId);
    CPPUNIT_TEST(testRejectsUpperCaseInThePath);
    CPPUNIT_TEST(testRejectsEmptyTagOrDigest);
    CPPUNIT_TEST(testRejectsBadPathComponents);
    CPPUNIT_TEST(testRejectsPathLongerThan255);
    CPPUNIT_TEST(testRejectsBadTags);
    CPPUNIT_TEST(testRejectsTagOf129Characters);
    CPPUNIT_TEST(testRejectsDigestsOfTheWrongLength);
    CPPUNIT_TEST(testRejectsVendorSampleDigests);
    CPPUNIT_TEST(testRejectsUnsupportedDigestAlgorithms);
    CPPUNIT_TEST(testRejectsBadDomains);
    CPPUNIT_TEST(testRejectsWhitespaceAndUnicode);
    CPPUNIT_TEST(testShortensHugeInputInTheMessage);
    CPPUNIT_TEST(testFromPartsValidatesEachPart);
    CPPUNIT_TEST_SUITE_END();

public:
    void testRejectsEmpty() { assertRejected("", "the reference is empty"); }

    void testBare64HexIsAnImageId()
    {
        assertRejected(kHex64, "64 hex digits are an image id, not a reference");
        // With a tag it is an ordinary (odd) Docker Hub name.
        CPPUNIT_ASSERT_EQUAL(std::string("docker.io/library/" + kHex64 + ":v1"),
                             ImageReference::parse(kHex64 + ":v1").normalized());
    }

    void testRejectsUpperCaseInThePath()
    {
        assertRejected("user/App", "invalid image reference 'user/App': repository path must be lower case");
        assertRejected("UBUNTU", "repository path must be lower case");
        assertRejected("ghcr.io/Owner/app:v1", "repository path must be lower case");
        assertRejected("docker.io/Ubuntu", "repository path must be lower case");
    }

    void testRejectsEmptyTagOrDigest()
    {
        assertRejected("ubuntu:", "the tag after ':' is empty");
        assertRejected("ubuntu@", "the digest after '@' is empty");
    }

    void testRejectsBadPathComponents()
    {
        assertRejected(".ubuntu", "repository path component '.ubuntu'");
        assertRejected("ubuntu.", "repository path component 'ubuntu.'");
        assertRejected("a___b", "repository path component 'a___b'");
        assertRejected("a..b", "repository path component 'a..b'");
        assertRejected("a-_b", "repository path component 'a-_b'");
        assertRejected("user//app", "repository path component ''");
        assertRejected("user/app/", "repository path component ''");
        assertRejected("host.com/", "repository path is empty");
        assertRejected("user/app!", "repository path component 'app!'");
    }

    void testRejectsPathLongerThan255()
    {
        assertRejected("registry.example.com/team/" + std::string(251, 'a'),
                       "repository path is longer than 255 characters (256)");
        // 248 characters become 256 with `library/`.
        assertRejected(std::string(248, 'b'), "longer than 255 characters (256)");
    }

    void testRejectsBadTags()
    {
        assertRejected("ubuntu:-bad", "tag '-bad' is not letters");
        assertRejected("ubuntu:.bad", "tag '.bad' is not letters");
        assertRejected("ubuntu:latest:extra", "tag 'latest:extra'");
        // A `:` before the first `/` makes that segment a host: `ubuntu:a` has no numeric port.
        assertRejected("ubuntu:a/b", "registry host 'ubuntu:a'");
        assertRejected("ubuntu:v+1", "tag 'v+1'");
    }

    void testRejectsTagOf129Characters()
    {
        assertRejected("app:" + std::string(129, 'x'), "tag is longer than 128 characters (129)");
    }

    void testRejectsDigestsOfTheWrongLength()
    {
        assertRejected("app@sha256:" + kHex64.substr(1), "sha256 needs exactly 64 lower-case hex digits");
        assertRejected("app@sha256:" + kHex64 + "0", "sha256 needs exactly 64 lower-case hex digits");
        assertRejected("app@sha256:6c62fb45fe66bfb1ea9a66abc38f6a0cc974292b", "sha256 needs exactly 64");
        assertRejected("app@sha512:" + kHex64, "sha512 needs exactly 128 lower-case hex digits");
    }

    void testRejectsVendorSampleDigests()
    {
        assertRejected("app@sha256:xxxxd5c8786bb9e621a45ece0dbxxxx1cdc624ad20da9fe62e9d25490f33xxxx",
                       "sha256 needs exactly 64 lower-case hex digits");
        assertRejected("app@sha256:...", "sha256 needs exactly 64");
        assertRejected("app@sha256:0123456789abcdef0", "sha256 needs exactly 64");
        std::string upper = kHex64;
        upper[0] = 'A';
        assertRejected("app@sha256:" + upper, "lower-case hex");
        // The literal `sha256:...` as a whole reference is Docker Hub's sha256 with tag `...`.
        assertRejected("sha256:...", "tag '...'");
    }

    void testRejectsUnsupportedDigestAlgorithms()
    {
        assertRejected("app@md5:" + std::string(32, 'a'), "unsupported algorithm");
        assertRejected("app@sha256", "is not algorithm:hex");
        assertRejected("app@:" + kHex64, "is not algorithm:hex");
        assertRejected("app@1sha:" + kHex64, "is not algorithm:hex");
    }

    void testRejectsBadDomains()
    {
        assertRejected("my_host.com/app", "registry host 'my_host.com'");
        assertRejected("-host.com/app", "registry host '-host.com'");
        assertRejected("host-.com/app", "registry host 'host-.com'");
        assertRejected("host..com/app", "registry host 'host..com'");
        assertRejected("host.com:abc/app", "registry host 'host.com:abc'");
        assertRejected("host.com:/app", "registry host 'host.com:'");
        assertRejected("[::1/app", "registry host '[::1'");
        assertRejected("[zz::1]:5000/app", "registry host '[zz::1]:5000'");
        assertRejected("[::1]x/app", "registry host '[::1]x'");
        assertRejected("[]:5000/app", "registry host '[]:5000'");
    }

    void testRejectsWhitespaceAndUnicode()
    {
        assertRejected(" ubuntu", "repository path component ' ubuntu'");
        assertRejected("ubuntu tag", "repository path component");
        assertRejected("ub\xc3\xbcntu", "'ub\\xc3\\xbcntu'");
        assertRejected("app:v\xe2\x9c\x93", "tag 'v\\xe2\\x9c\\x93'");
        assertRejected(std::string("app\0x", 5), "'app\\x00x'");
    }

    void testShortensHugeInputInTheMessage()
    {
        const std::string huge(1 << 20, 'a');
        try
        {
            ImageReference::parse("app:" + huge);
            CPPUNIT_FAIL("accepted a 1 MiB tag");
        }
        catch (const ReferenceError& error)
        {
            CPPUNIT_ASSERT(std::string(error.what()).size() < 300);
            CPPUNIT_ASSERT(std::string(error.what()).find("...") != std::string::npos);
        }
        assertRejected(huge, "repository path is longer than 255");
    }

    void testFromPartsValidatesEachPart()
    {
        CPPUNIT_ASSERT_THROW(ImageReference::fromParts("", "app", "v1"), ReferenceError);
        CPPUNIT_ASSERT_THROW(ImageReference::fromParts("host", "", "v1"), ReferenceError);
        CPPUNIT_ASSERT_THROW(ImageReference::fromParts("host", "App", "v1"), ReferenceError);
        CPPUNIT_ASSERT_THROW(ImageReference::fromParts("host", "app", "-v1"), ReferenceError);
        CPPUNIT_ASSERT_THROW(ImageReference::fromParts("host", "app", "v1", "sha256:abc"), ReferenceError);
        CPPUNIT_ASSERT_THROW(ImageReference::fromParts("host/x", "app", "v1"), ReferenceError);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ImageReferenceRejectTest);
