#include "backend/RunCommand.h"
#include "InspectFixtures.h"
#include "MockContainerBackend.h"
#include "backend/DockerError.h"

#include <cppunit/extensions/HelperMacros.h>

#include <sstream>

using wiretap::backend::ContainerSpec;
using wiretap::backend::DockerError;
using wiretap::backend::InspectFixtures;
using wiretap::backend::MockContainerBackend;
using wiretap::backend::NetworkEndpoint;
using wiretap::backend::printRunCommand;
using wiretap::backend::renderRunCommand;

class RunCommandTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RunCommandTest);
    CPPUNIT_TEST(testQuotesOnlyWhatNeedsIt);
    CPPUNIT_TEST(testJoinsNetworkConnectsWithAnd);
    CPPUNIT_TEST(testPrintsTheRecordedContainer);
    CPPUNIT_TEST(testMissingContainerThrows);
    CPPUNIT_TEST_SUITE_END();

public:
    void testQuotesOnlyWhatNeedsIt()
    {
        ContainerSpec spec;
        spec.name = "web";
        spec.image = "demo/app:1";
        spec.options = {"--env=A=it's $HOME", "--publish=8080:80/tcp"};
        spec.commandSet = true;
        spec.command = {"sh", "-c", "echo \"a b\""};
        CPPUNIT_ASSERT_EQUAL(
            std::string("docker run -d --name=web '--env=A=it'\\''s $HOME' --publish=8080:80/tcp "
                        "demo/app:1 sh -c 'echo \"a b\"'"),
            renderRunCommand(spec));
    }

    void testJoinsNetworkConnectsWithAnd()
    {
        ContainerSpec spec;
        spec.name = "web";
        spec.image = "img";
        spec.networkMode = "front";
        spec.networks = {NetworkEndpoint{"front", {}, "", "", {}, {}, "", {}},
                         NetworkEndpoint{"back", {"api"}, "", "", {}, {}, "", {}}};
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                "/usr/bin/docker run -d --name=web --network=front img && /usr/bin/docker network connect "
                "--alias=api back web"),
            renderRunCommand(spec, "/usr/bin/docker"));
    }

    void testPrintsTheRecordedContainer()
    {
        MockContainerBackend mock;
        mock.addContainer(InspectFixtures::load("fid-16"));
        mock.addImage(InspectFixtures::load("image-v1"));
        std::ostringstream out;
        CPPUNIT_ASSERT_EQUAL(0, printRunCommand(mock, "fid-16", out));
        const std::string line = out.str();
        CPPUNIT_ASSERT(
            line.rfind("docker run -d --name=fid-16 --hostname=web01 --domainname=example.org ", 0) == 0);
        CPPUNIT_ASSERT(line.find(" 127.0.0.1:5000/wiretap-e2e/backend:v1\n") != std::string::npos);
    }

    void testMissingContainerThrows()
    {
        MockContainerBackend mock;
        std::ostringstream out;
        CPPUNIT_ASSERT_THROW(printRunCommand(mock, "nope", out), DockerError);
        CPPUNIT_ASSERT(out.str().empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RunCommandTest);
