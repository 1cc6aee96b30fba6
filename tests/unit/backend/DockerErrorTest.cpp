#include "backend/DockerError.h"
#include "backend/ShellQuote.h"

#include <cppunit/extensions/HelperMacros.h>

using wiretap::backend::DockerError;
using Args = std::vector<std::string>;

class DockerErrorTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(DockerErrorTest);
    CPPUNIT_TEST(testMasksEnvironmentValuesButKeepsKeys);
    CPPUNIT_TEST(testMasksPasswordsAndTokens);
    CPPUNIT_TEST(testMessageHoldsCommandStatusAndTrimmedStderr);
    CPPUNIT_TEST(testShellQuotingIsSafeForAnyByte);
    CPPUNIT_TEST_SUITE_END();

public:
    void testMasksEnvironmentValuesButKeepsKeys()
    {
        CPPUNIT_ASSERT(Args({"run", "-e", "A=***", "--env", "B=***", "--env=C=***", "-e", "D", "img",
                             "-e"}) == DockerError::maskSecrets({"run", "-e", "A=1", "--env", "B=x=y",
                                                                 "--env=C=", "-e", "D", "img", "-e"}));
    }

    void testMasksPasswordsAndTokens()
    {
        CPPUNIT_ASSERT(Args({"login", "--password", "***", "--password=***", "--registry-token=***",
                             "--username", "u"}) ==
                       DockerError::maskSecrets({"login", "--password", "p", "--password=p",
                                                 "--registry-token=t", "--username", "u"}));
    }

    void testMessageHoldsCommandStatusAndTrimmedStderr()
    {
        const DockerError error({"docker", "start", "my web"}, 1, "\nError: No such container: my web\n");
        CPPUNIT_ASSERT_EQUAL(
            std::string("docker call failed: docker start 'my web': exit status 1: Error: No such "
                        "container: my web"),
            std::string(error.what()));
        CPPUNIT_ASSERT_EQUAL(std::string("docker call failed: docker stop x: killed by signal 9"),
                             std::string(DockerError({"docker", "stop", "x"}, 265, "").what()));
    }

    void testShellQuotingIsSafeForAnyByte()
    {
        using wiretap::backend::shellQuote;
        CPPUNIT_ASSERT_EQUAL(std::string("--env=A=b"), shellQuote("--env=A=b"));
        CPPUNIT_ASSERT_EQUAL(std::string("''"), shellQuote(""));
        CPPUNIT_ASSERT_EQUAL(std::string("'it'\\''s $HOME `x` \"q\"'"), shellQuote("it's $HOME `x` \"q\""));
        CPPUNIT_ASSERT_EQUAL(std::string("'a\nb'"), shellQuote("a\nb"));
        CPPUNIT_ASSERT_EQUAL(std::string("'h\xc3\xa9'"), shellQuote("h\xc3\xa9"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DockerErrorTest);
