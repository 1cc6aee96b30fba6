#include "events/ImageReference.h"
#include "events/ReferenceError.h"

#include <cppunit/extensions/HelperMacros.h>

using wiretap::events::ImageReference;
using wiretap::events::ReferenceError;

namespace
{
const std::string kSha256 = "sha256:80f0d5c8786bb9e621a45ece0db56d11cdc624ad20da9fe62e9d25490f331d7d";

void assertParts(const std::string& text, const std::string& domain, const std::string& path,
                 const std::string& tag, const std::string& digest = "")
{
    const auto reference = ImageReference::parse(text);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(text + " domain", domain, reference.domain());
    CPPUNIT_ASSERT_EQUAL_MESSAGE(text + " path", path, reference.path());
    CPPUNIT_ASSERT_EQUAL_MESSAGE(text + " tag", tag, reference.tag());
    CPPUNIT_ASSERT_EQUAL_MESSAGE(text + " digest", digest, reference.digest());
}

void assertNormalized(const std::string& text, const std::string& normalized)
{
    CPPUNIT_ASSERT_EQUAL_MESSAGE(text, normalized, ImageReference::parse(text).normalized());
}
} // namespace

/// Valid references and how they normalize; ImageReferenceRejectTest has the invalid ones.
class ImageReferenceTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ImageReferenceTest);
    CPPUNIT_TEST(testOfficialImageGoesUnderDockerIoLibrary);
    CPPUNIT_TEST(testUserImageGoesUnderDockerIo);
    CPPUNIT_TEST(testIndexDockerIoIsDockerIo);
    CPPUNIT_TEST(testDefaultsTheTagToLatest);
    CPPUNIT_TEST(testKeepsHostAndPort);
    CPPUNIT_TEST(testHostWithPortAndNoTag);
    CPPUNIT_TEST(testTagIsNotAPort);
    CPPUNIT_TEST(testLocalhostIsADomain);
    CPPUNIT_TEST(testUpperCaseFirstSegmentIsADomain);
    CPPUNIT_TEST(testIpv6HostsInBrackets);
    CPPUNIT_TEST(testDigestWithoutTagHasNoTag);
    CPPUNIT_TEST(testTagAndDigest);
    CPPUNIT_TEST(testAcceptsSha384AndSha512);
    CPPUNIT_TEST(testAcceptsEverySeparator);
    CPPUNIT_TEST(testTagGrammarBoundaries);
    CPPUNIT_TEST(testPathOf255Characters);
    CPPUNIT_TEST(testFamiliarForms);
    CPPUNIT_TEST(testFamiliarFormKeepsDockerIoWhenThePathStartsLikeADomain);
    CPPUNIT_TEST(testRepository);
    CPPUNIT_TEST(testFromPartsTakesTheDomainAsGiven);
    CPPUNIT_TEST(testFromPartsNormalizesDockerHub);
    CPPUNIT_TEST(testSameRepositoryAndTag);
    CPPUNIT_TEST(testTryParse);
    CPPUNIT_TEST(testValidatesTagsAndDigestsAlone);
    CPPUNIT_TEST_SUITE_END();

public:
    void testOfficialImageGoesUnderDockerIoLibrary()
    {
        assertParts("ubuntu", "docker.io", "library/ubuntu", "latest");
        assertNormalized("ubuntu", "docker.io/library/ubuntu:latest");
        assertNormalized("ubuntu:22.04", "docker.io/library/ubuntu:22.04");
        assertNormalized("docker.io/ubuntu", "docker.io/library/ubuntu:latest");
        assertNormalized("docker.io/library/ubuntu", "docker.io/library/ubuntu:latest");
    }

    void testUserImageGoesUnderDockerIo()
    {
        assertParts("user/app", "docker.io", "user/app", "latest");
        assertNormalized("user/app", "docker.io/user/app:latest");
        assertNormalized("user/app:v1", "docker.io/user/app:v1");
        assertNormalized("user/team/app", "docker.io/user/team/app:latest");
    }

    void testIndexDockerIoIsDockerIo()
    {
        assertNormalized("index.docker.io/ubuntu", "docker.io/library/ubuntu:latest");
        assertNormalized("index.docker.io/user/app:v1", "docker.io/user/app:v1");
        CPPUNIT_ASSERT(ImageReference::parse("index.docker.io/library/ubuntu") ==
                       ImageReference::parse("ubuntu"));
    }

    void testDefaultsTheTagToLatest()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("latest"), ImageReference::parse("ghcr.io/o/app").tag());
    }

    void testKeepsHostAndPort()
    {
        assertParts("127.0.0.1:5000/demo/app:v2", "127.0.0.1:5000", "demo/app", "v2");
        assertNormalized("127.0.0.1:5000/demo/app:v2", "127.0.0.1:5000/demo/app:v2");
        assertParts("registry.example.com/a/b/c:1.0", "registry.example.com", "a/b/c", "1.0");
    }

    void testHostWithPortAndNoTag()
    {
        assertParts("host:5000/app", "host:5000", "app", "latest");
        assertParts("registry.example.com:443/team/app", "registry.example.com:443", "team/app", "latest");
    }

    void testTagIsNotAPort()
    {
        assertParts("app:5000", "docker.io", "library/app", "5000");
        // Without a slash, `localhost:5000` is Docker Hub's library/localhost at tag 5000, as in Docker.
        assertParts("localhost:5000", "docker.io", "library/localhost", "5000");
        assertParts("host:5000/app:5000", "host:5000", "app", "5000");
    }

    void testLocalhostIsADomain()
    {
        assertParts("localhost/app", "localhost", "app", "latest");
        assertParts("localhost:5000/app:v1", "localhost:5000", "app", "v1");
        // Only exactly `localhost`: `localhostx` is a Docker Hub user.
        assertParts("localhostx/app", "docker.io", "localhostx/app", "latest");
    }

    void testUpperCaseFirstSegmentIsADomain()
    {
        assertParts("Registry.Example.com/app", "Registry.Example.com", "app", "latest");
        assertParts("MYHOST/app", "MYHOST", "app", "latest");
    }

    void testIpv6HostsInBrackets()
    {
        assertParts("[::1]:5000/app:v1", "[::1]:5000", "app", "v1");
        assertParts("[2001:db8::1]/team/app", "[2001:db8::1]", "team/app", "latest");
        assertNormalized("[fe80::1]:443/app@" + kSha256, "[fe80::1]:443/app@" + kSha256);
    }

    void testDigestWithoutTagHasNoTag()
    {
        assertParts("ubuntu@" + kSha256, "docker.io", "library/ubuntu", "", kSha256);
        assertNormalized("ubuntu@" + kSha256, "docker.io/library/ubuntu@" + kSha256);
    }

    void testTagAndDigest()
    {
        assertParts("host:5000/app:v1@" + kSha256, "host:5000", "app", "v1", kSha256);
        assertNormalized("user/app:v1@" + kSha256, "docker.io/user/app:v1@" + kSha256);
    }

    void testAcceptsSha384AndSha512()
    {
        assertParts("app@sha384:" + std::string(96, 'a'), "docker.io", "library/app", "",
                    "sha384:" + std::string(96, 'a'));
        assertParts("app@sha512:" + std::string(128, '0'), "docker.io", "library/app", "",
                    "sha512:" + std::string(128, '0'));
    }

    void testAcceptsEverySeparator()
    {
        assertParts("team/a.b_c__d-e---f/g0", "docker.io", "team/a.b_c__d-e---f/g0", "latest");
        assertParts("ex.com/my-app_v2.0/x", "ex.com", "my-app_v2.0/x", "latest");
    }

    void testTagGrammarBoundaries()
    {
        assertParts("app:" + std::string(128, 'x'), "docker.io", "library/app", std::string(128, 'x'));
        assertParts("app:_private", "docker.io", "library/app", "_private");
        assertParts("app:V1.2-RC_3", "docker.io", "library/app", "V1.2-RC_3");
        assertParts("app:1", "docker.io", "library/app", "1");
    }

    void testPathOf255Characters()
    {
        const std::string path = "team/" + std::string(250, 'a');
        assertParts("registry.example.com/" + path, "registry.example.com", path, "latest");
        // `library/` counts: 247 characters on Docker Hub are 255 after normalization.
        assertParts(std::string(247, 'b'), "docker.io", "library/" + std::string(247, 'b'), "latest");
    }

    void testFamiliarForms()
    {
        const auto ubuntu = ImageReference::parse("docker.io/library/ubuntu:22.04");
        CPPUNIT_ASSERT_EQUAL(std::string("ubuntu"), ubuntu.familiarName());
        CPPUNIT_ASSERT_EQUAL(std::string("ubuntu:22.04"), ubuntu.familiar());
        CPPUNIT_ASSERT_EQUAL(std::string("user/app:latest"), ImageReference::parse("user/app").familiar());
        CPPUNIT_ASSERT_EQUAL(std::string("library/a/b"), ImageReference::parse("library/a/b").familiarName());
        CPPUNIT_ASSERT_EQUAL(std::string("ghcr.io/o/app:latest"),
                             ImageReference::parse("ghcr.io/o/app").familiar());
        CPPUNIT_ASSERT_EQUAL(std::string("app@" + kSha256),
                             ImageReference::parse("app@" + kSha256).familiar());
    }

    void testFamiliarFormKeepsDockerIoWhenThePathStartsLikeADomain()
    {
        // Found by fuzz_image_reference: the familiar form is what `docker pull` gets.
        for (const std::string text :
             {"docker.io/localhost/app:v1", "docker.io/my.org/app:v1", "docker.io/library.io/library/x:v1"})
        {
            const auto reference = ImageReference::parse(text);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(text, text, reference.familiar());
            CPPUNIT_ASSERT_MESSAGE(text, ImageReference::parse(reference.familiar()) == reference);
        }
        CPPUNIT_ASSERT_EQUAL(std::string("localhost/app"),
                             ImageReference::parse("localhost/app").familiarName());
    }

    void testRepository()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("docker.io/library/ubuntu"),
                             ImageReference::parse("ubuntu:22.04").repository());
        CPPUNIT_ASSERT_EQUAL(std::string("localhost:5000/app"),
                             ImageReference::parse("localhost:5000/app:v1").repository());
    }

    void testFromPartsTakesTheDomainAsGiven()
    {
        // A registry host without dot or port is still the host when an event names it.
        const auto reference = ImageReference::fromParts("registry", "library/test", "1.0");
        CPPUNIT_ASSERT_EQUAL(std::string("registry/library/test:1.0"), reference.normalized());
        CPPUNIT_ASSERT_EQUAL(std::string("registry:5000/app@" + kSha256),
                             ImageReference::fromParts("registry:5000", "app", "", kSha256).normalized());
    }

    void testFromPartsNormalizesDockerHub()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("docker.io/library/ubuntu:latest"),
                             ImageReference::fromParts("index.docker.io", "ubuntu", "").normalized());
        CPPUNIT_ASSERT_EQUAL(std::string("docker.io/user/app:v1"),
                             ImageReference::fromParts("docker.io", "user/app", "v1").normalized());
    }

    void testSameRepositoryAndTag()
    {
        const auto same = [](const std::string& a, const std::string& b)
        { return ImageReference::parse(a).sameRepositoryAndTag(ImageReference::parse(b)); };
        CPPUNIT_ASSERT(same("ubuntu", "docker.io/library/ubuntu:latest"));
        CPPUNIT_ASSERT(same("index.docker.io/user/app", "user/app:latest"));
        CPPUNIT_ASSERT(same("Registry.Example.com/app", "registry.example.com/app"));
        CPPUNIT_ASSERT(same("user/app:v1@" + kSha256, "user/app:v1"));
        CPPUNIT_ASSERT(!same("ubuntu", "ubuntu:22.04"));
        CPPUNIT_ASSERT(!same("user/app", "other/app"));
        CPPUNIT_ASSERT(!same("localhost:5000/app", "localhost:5001/app"));
        CPPUNIT_ASSERT(!same("ubuntu@" + kSha256, "ubuntu"));
    }

    void testTryParse()
    {
        CPPUNIT_ASSERT(ImageReference::tryParse("user/app:v1").has_value());
        CPPUNIT_ASSERT(!ImageReference::tryParse("user/App").has_value());
        CPPUNIT_ASSERT(!ImageReference::tryParse("").has_value());
    }

    void testValidatesTagsAndDigestsAlone()
    {
        CPPUNIT_ASSERT(ImageReference::isValidTag("v1.0"));
        CPPUNIT_ASSERT(!ImageReference::isValidTag(".v1"));
        CPPUNIT_ASSERT(!ImageReference::isValidTag(""));
        CPPUNIT_ASSERT(ImageReference::isValidDigest(kSha256));
        CPPUNIT_ASSERT(!ImageReference::isValidDigest("sha256:..."));
        CPPUNIT_ASSERT(!ImageReference::isValidDigest(""));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ImageReferenceTest);
