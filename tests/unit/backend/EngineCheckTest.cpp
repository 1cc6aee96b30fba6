#include "backend/EngineCheck.h"
#include "MockContainerBackend.h"

#include <cppunit/extensions/HelperMacros.h>

using wiretap::backend::checkEngineReachable;
using wiretap::backend::EngineUnreachableError;
using wiretap::backend::MockContainerBackend;

class EngineCheckTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(EngineCheckTest);
    CPPUNIT_TEST(testReturnsTheVersionsWhenTheEngineAnswers);
    CPPUNIT_TEST(testQuotesDockerWhenTheApiVersionIsRefused);
    CPPUNIT_TEST(testRefusesAnAnswerWithoutServer);
    CPPUNIT_TEST_SUITE_END();

public:
    void testReturnsTheVersionsWhenTheEngineAnswers()
    {
        MockContainerBackend mock;
        CPPUNIT_ASSERT_EQUAL(std::string("20.10.24"), checkEngineReachable(mock).serverVersion);
    }

    void testQuotesDockerWhenTheApiVersionIsRefused()
    {
        MockContainerBackend mock;
        mock.failOn("versions",
                    "Error response from daemon: client version 1.52 is too new. Maximum supported API "
                    "version is 1.41\n");
        try
        {
            checkEngineReachable(mock);
            CPPUNIT_FAIL("no error");
        }
        catch (const EngineUnreachableError& e)
        {
            const std::string message = e.what();
            CPPUNIT_ASSERT(
                message.rfind("the docker CLI cannot talk to the engine: Error response from daemon: "
                              "client version 1.52 is too new. Maximum supported API version is 1.41 (check",
                              0) == 0);
        }
    }

    void testRefusesAnAnswerWithoutServer()
    {
        MockContainerBackend mock;
        mock.versionsAnswer.serverVersion = "";
        CPPUNIT_ASSERT_THROW(checkEngineReachable(mock), EngineUnreachableError);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(EngineCheckTest);
