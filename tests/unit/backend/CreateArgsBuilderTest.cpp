#include "backend/CreateArgsBuilder.h"

#include <cppunit/extensions/HelperMacros.h>

using wiretap::backend::ContainerSpec;
using wiretap::backend::CreateArgsBuilder;
using wiretap::backend::NetworkEndpoint;
using Words = std::vector<std::string>;

class CreateArgsBuilderTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(CreateArgsBuilderTest);
    CPPUNIT_TEST(testMinimalSpecNamesAndImageOnly);
    CPPUNIT_TEST(testRunIsCreateWithRunDetached);
    CPPUNIT_TEST(testFirstNetworkGoesToCreateTheOthersToConnect);
    CPPUNIT_TEST(testDefaultBridgeNeedsNoNetworkFlag);
    CPPUNIT_TEST(testMultiWordEntrypointKeepsTheProcessArgv);
    CPPUNIT_TEST(testEmptyEntrypointResetsTheImages);
    CPPUNIT_TEST(testConnectCarriesEveryEndpointSetting);
    CPPUNIT_TEST_SUITE_END();

public:
    void testMinimalSpecNamesAndImageOnly()
    {
        CPPUNIT_ASSERT(Words({"create", "--name=web", "demo/app:2"}) ==
                       CreateArgsBuilder::createArgs(ContainerSpec(), "demo/app:2", "web"));
    }

    void testRunIsCreateWithRunDetached()
    {
        ContainerSpec spec;
        spec.options = {"--env=A=1"};
        spec.commandSet = true;
        spec.command = {"-x", "a b"};
        CPPUNIT_ASSERT(Words({"run", "-d", "--name=web", "--env=A=1", "img", "-x", "a b"}) ==
                       CreateArgsBuilder::runArgs(spec, "img", "web"));
    }

    void testFirstNetworkGoesToCreateTheOthersToConnect()
    {
        ContainerSpec spec;
        spec.networkMode = "front";
        spec.networks = {NetworkEndpoint{"front",
                                         {"a", "b"},
                                         "10.0.0.2",
                                         "fd00::2",
                                         {"169.254.1.1"},
                                         {"db:db"},
                                         "02:11:22:33:44:55",
                                         {}},
                         NetworkEndpoint{"back", {}, "", "", {}, {}, "", {}}};
        CPPUNIT_ASSERT(
            Words({"create", "--name=web", "--network=front", "--network-alias=a", "--network-alias=b",
                   "--ip=10.0.0.2", "--ip6=fd00::2", "--link-local-ip=169.254.1.1", "--link=db:db",
                   "--mac-address=02:11:22:33:44:55", "img"}) ==
            CreateArgsBuilder::createArgs(spec, "img", "web"));
        const auto later = CreateArgsBuilder::laterNetworks(spec);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), later.size());
        CPPUNIT_ASSERT_EQUAL(std::string("back"), later[0].network);
    }

    void testDefaultBridgeNeedsNoNetworkFlag()
    {
        ContainerSpec spec;
        spec.networks = {NetworkEndpoint{"bridge", {}, "", "", {}, {}, "", {}}};
        CPPUNIT_ASSERT(Words({"create", "--name=web", "img"}) ==
                       CreateArgsBuilder::createArgs(spec, "img", "web"));
        // Disconnected from the default bridge: the first remaining network is named.
        spec.networks = {NetworkEndpoint{"back", {}, "", "", {}, {}, "", {}}};
        CPPUNIT_ASSERT(Words({"create", "--name=web", "--network=back", "img"}) ==
                       CreateArgsBuilder::createArgs(spec, "img", "web"));
    }

    void testMultiWordEntrypointKeepsTheProcessArgv()
    {
        // --entrypoint takes one word: the rest go before the command.
        ContainerSpec spec;
        spec.entrypointSet = true;
        spec.entrypoint = {"/bin/tini", "--"};
        spec.commandSet = true;
        spec.command = {"serve"};
        CPPUNIT_ASSERT(Words({"create", "--name=web", "--entrypoint=/bin/tini", "img", "--", "serve"}) ==
                       CreateArgsBuilder::createArgs(spec, "img", "web"));
    }

    void testEmptyEntrypointResetsTheImages()
    {
        ContainerSpec spec;
        spec.entrypointSet = true;
        spec.commandSet = true;
        spec.command = {"sh"};
        CPPUNIT_ASSERT(Words({"create", "--name=web", "--entrypoint=", "img", "sh"}) ==
                       CreateArgsBuilder::createArgs(spec, "img", "web"));
    }

    void testConnectCarriesEveryEndpointSetting()
    {
        const NetworkEndpoint endpoint{
            "back",          {"api"},         "10.1.0.9",    "fd01::9",
            {"169.254.2.2"}, {"db:database"}, "ignored:mac", {{"com.example.opt", "1"}}};
        CPPUNIT_ASSERT(Words({"network", "connect", "--alias=api", "--ip=10.1.0.9", "--ip6=fd01::9",
                              "--link-local-ip=169.254.2.2", "--link=db:database",
                              "--driver-opt=com.example.opt=1", "back", "web"}) ==
                       CreateArgsBuilder::networkConnectArgs(endpoint, "web"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CreateArgsBuilderTest);
