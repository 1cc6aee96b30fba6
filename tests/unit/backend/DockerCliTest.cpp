#include "backend/DockerCli.h"
#include "TempDir.h"
#include "backend/DockerError.h"
#include "config/DockerSettings.h"

#include <cppunit/extensions/HelperMacros.h>

using wiretap::backend::ContainerSpec;
using wiretap::backend::DockerCli;
using wiretap::backend::DockerError;
using wiretap::backend::NetworkEndpoint;
using wiretap::backend::ProcessRunner;
using wiretap::backend::TempDir;
using wiretap::config::DockerSettings;
using Args = std::vector<std::string>;

namespace
{

/// A fake docker: records its argv (one word a line) and DOCKER_* environment, answers with
/// the files stdout.N / stderr.N / exit.N of its Nth call (or stdout / stderr / exit).
const char* const fakeDocker = R"SH(#!/bin/sh
dir=$(dirname "$0")
n=$(($(cat "$dir/count" 2>/dev/null || echo 0) + 1))
echo $n >"$dir/count"
printf '%s\n' "$@" >"$dir/argv.$n"
env | grep '^DOCKER_' | sort >"$dir/env.$n"
for f in stdout stderr exit; do
    if [ -f "$dir/$f.$n" ]; then eval "$f=\$dir/\$f.\$n"; else eval "$f=\$dir/\$f"; fi
done
[ -f "$stdout" ] && cat "$stdout"
[ -f "$stderr" ] && cat "$stderr" >&2
[ -f "$dir/sleep" ] && sleep "$(cat "$dir/sleep")"
exit "$(cat "$exit" 2>/dev/null || echo 0)"
)SH";

} // namespace

class DockerCliTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(DockerCliTest);
    CPPUNIT_TEST(testPutsGlobalFlagsBeforeEveryCommand);
    CPPUNIT_TEST(testPassesTheChildEnvironment);
    CPPUNIT_TEST(testNonZeroExitThrowsWithMaskedCommandAndStderr);
    CPPUNIT_TEST(testTimeoutThrows);
    CPPUNIT_TEST(testListsContainersWithTwoCalls);
    CPPUNIT_TEST(testListSkipsContainersRemovedMeanwhile);
    CPPUNIT_TEST(testInspectsManyInOneCall);
    CPPUNIT_TEST(testPullReturnsTheNewImageIdAndItsRepoDigests);
    CPPUNIT_TEST(testStopRenameRemoveStartArgv);
    CPPUNIT_TEST(testStopSignalGoesToEnginesThatTakeIt);
    CPPUNIT_TEST(testStopSignalIsSentWithKillToOlderEngines);
    CPPUNIT_TEST(testCreateAndConnectArgv);
    CPPUNIT_TEST(testRunIsCreateArgvWithRunDetached);
    CPPUNIT_TEST(testWaitUntilHealthyPollsInspect);
    CPPUNIT_TEST(testWaitFailsWhenTheContainerExits);
    CPPUNIT_TEST(testVersions);
    CPPUNIT_TEST(testSwarmManagerCheckIsAskedOnceAMinuteAlsoByCountingViews);
    CPPUNIT_TEST(testListsServicesWithTwoCalls);
    CPPUNIT_TEST(testServiceUpdateAndRollbackArgv);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _dir.reset(new TempDir);
        _settings.binary = _dir->write("docker", fakeDocker, true);
        _settings.timeout = Poco::Timespan(10, 0);
        _cli.reset(new DockerCli(_settings, _runner, Poco::Timespan(0, 1000)));
    }

    void testPutsGlobalFlagsBeforeEveryCommand()
    {
        _settings.globalArgs = {"--config", "/cfg", "--host", "tcp://h:2376", "--tlsverify"};
        DockerCli cli(_settings, _runner);
        cli.startContainer("web");
        CPPUNIT_ASSERT(Args({"--config", "/cfg", "--host", "tcp://h:2376", "--tlsverify", "container",
                             "start", "web"}) == argv(1));
    }

    void testPassesTheChildEnvironment()
    {
        _settings.childEnvironment = {{"DOCKER_CERT_PATH", ""}, {"DOCKER_CONFIG", "/cfg"}};
        DockerCli cli(_settings, _runner);
        cli.startContainer("web");
        CPPUNIT_ASSERT_EQUAL(std::string("DOCKER_CERT_PATH=\nDOCKER_CONFIG=/cfg\n"), _dir->read("env.1"));
    }

    void testNonZeroExitThrowsWithMaskedCommandAndStderr()
    {
        _dir->write("exit", "125");
        _dir->write("stderr", "docker: Error response from daemon: Conflict.\n\n");
        ContainerSpec spec;
        spec.options = {"--env=DB_PASSWORD=hunter2", "--label=a=b"};
        try
        {
            _cli->createContainer(spec, "img:1", "web");
            CPPUNIT_FAIL("no DockerError");
        }
        catch (const DockerError& e)
        {
            CPPUNIT_ASSERT_EQUAL(125, e.exitCode());
            CPPUNIT_ASSERT_EQUAL(std::string("docker: Error response from daemon: Conflict."),
                                 e.stderrText());
            CPPUNIT_ASSERT_EQUAL(_settings.binary +
                                     " create --name=web '--env=DB_PASSWORD=***' --label=a=b img:1",
                                 e.command());
            CPPUNIT_ASSERT(std::string(e.what()).find("hunter2") == std::string::npos);
            CPPUNIT_ASSERT(std::string(e.what()).find("exit status 125: docker: Error") != std::string::npos);
        }
    }

    void testTimeoutThrows()
    {
        _dir->write("sleep", "10");
        _settings.timeout = Poco::Timespan(0, 200000);
        DockerCli cli(_settings, _runner);
        try
        {
            cli.renameContainer("a", "b");
            CPPUNIT_FAIL("no DockerError");
        }
        catch (const DockerError& e)
        {
            CPPUNIT_ASSERT(e.timedOut());
            CPPUNIT_ASSERT(std::string(e.what()).find("timed out (killed)") != std::string::npos);
        }
    }

    void testListsContainersWithTwoCalls()
    {
        _dir->write("stdout.1", "aaa\nbbb\n");
        _dir->write("stdout.2", R"([{"Id":"aaa","Name":"/web","Image":"sha256:1","Config":{"Image":"demo/app",
            "Labels":{"k":"v"}},"State":{"Status":"running"}},
            {"Id":"bbb","Name":"/db","Image":"sha256:2","Config":{"Image":"pg","Labels":null},"State":{"Status":"exited"}}])");
        const auto list = _cli->listContainers();
        CPPUNIT_ASSERT(Args({"container", "ls", "--all", "--quiet", "--no-trunc"}) == argv(1));
        CPPUNIT_ASSERT(Args({"container", "inspect", "aaa", "bbb"}) == argv(2));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), list.size());
        CPPUNIT_ASSERT_EQUAL(std::string("web"), list[0].name);
        CPPUNIT_ASSERT_EQUAL(std::string("demo/app"), list[0].image);
        CPPUNIT_ASSERT_EQUAL(std::string("sha256:1"), list[0].imageId);
        CPPUNIT_ASSERT_EQUAL(std::string("running"), list[0].state);
        CPPUNIT_ASSERT_EQUAL(std::string("v"), list[0].labels.at("k"));
        CPPUNIT_ASSERT(list[1].labels.empty());
        CPPUNIT_ASSERT_EQUAL(std::string("exited"), list[1].state);
    }

    void testListSkipsContainersRemovedMeanwhile()
    {
        _dir->write("stdout.1", "aaa\nbbb\n");
        _dir->write("stdout.2", R"([{"Id":"aaa","Name":"/web","State":{"Status":"running"}}])");
        _dir->write("stderr.2", "Error: No such container: bbb\n");
        _dir->write("exit.2", "1");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _cli->listContainers().size());
        _dir->write("stdout.3", "");
        CPPUNIT_ASSERT(_cli->listContainers().empty());
        CPPUNIT_ASSERT_EQUAL(std::string("3\n"), _dir->read("count")); // no inspect of nothing
    }

    void testInspectsManyInOneCall()
    {
        _dir->write("stdout", R"([{"Id":"sha256:1"},{"Id":"sha256:2"}])");
        const auto images = _cli->inspectImages({"a:1", "sha256:2"});
        CPPUNIT_ASSERT(Args({"image", "inspect", "a:1", "sha256:2"}) == argv(1));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), images.size());
        _dir->write("exit", "1");
        _dir->write("stderr", "Error: No such container: x");
        CPPUNIT_ASSERT_THROW(_cli->inspectContainers({"x"}), DockerError);
        _dir->write("exit", "0");
        _dir->write("stdout", "not json");
        CPPUNIT_ASSERT_THROW(_cli->inspectContainers({"x"}), DockerError);
    }

    void testPullReturnsTheNewImageIdAndItsRepoDigests()
    {
        _dir->write("stdout.2",
                    R"([{"Id":"sha256:new","RepoDigests":["demo/app@sha256:d1","mirror/app@sha256:d2"]}])");
        const auto pulled = _cli->pullImage("demo/app:latest");
        CPPUNIT_ASSERT_EQUAL(std::string("sha256:new"), pulled.id);
        CPPUNIT_ASSERT(std::vector<std::string>({"demo/app@sha256:d1", "mirror/app@sha256:d2"}) ==
                       pulled.repoDigests);
        CPPUNIT_ASSERT(Args({"image", "pull", "--quiet", "demo/app:latest"}) == argv(1));
        CPPUNIT_ASSERT(Args({"image", "inspect", "demo/app:latest"}) == argv(2));
    }

    void testStopRenameRemoveStartArgv()
    {
        _cli->stopContainer("web", "", 10);
        _cli->killContainer("web", "SIGKILL");
        _cli->renameContainer("web", "web-old");
        _cli->removeContainer("web-old", true, false);
        _cli->removeContainer("web-old", false, true);
        _cli->removeImage("sha256:1", false);
        CPPUNIT_ASSERT(Args({"container", "stop", "-t", "10", "web"}) == argv(1));
        CPPUNIT_ASSERT(Args({"container", "kill", "--signal=SIGKILL", "web"}) == argv(2));
        CPPUNIT_ASSERT(Args({"container", "rename", "web", "web-old"}) == argv(3));
        CPPUNIT_ASSERT(Args({"container", "rm", "--force", "web-old"}) == argv(4));
        CPPUNIT_ASSERT(Args({"container", "rm", "--volumes", "web-old"}) == argv(5));
        CPPUNIT_ASSERT(Args({"image", "rm", "sha256:1"}) == argv(6));
    }

    void testStopSignalGoesToEnginesThatTakeIt()
    {
        _dir->write("stdout.1",
                    R"({"Client":{"Version":"28.2.2"},"Server":{"Version":"24.0.7","ApiVersion":"1.43"}})");
        _cli->stopContainer("web", "SIGQUIT", -1);
        _cli->stopContainer("web", "SIGINT", 5);
        CPPUNIT_ASSERT(Args({"version", "--format", "{{json .}}"}) == argv(1)); // asked once
        CPPUNIT_ASSERT(Args({"container", "stop", "--signal=SIGQUIT", "web"}) == argv(2));
        CPPUNIT_ASSERT(Args({"container", "stop", "--signal=SIGINT", "-t", "5", "web"}) == argv(3));
    }

    void testStopSignalIsSentWithKillToOlderEngines()
    {
        // API 1.41 ignores `stop --signal`: kill with it, wait, then stop -t 0.
        _dir->write("stdout.1",
                    R"({"Client":{"Version":"28.2.2"},"Server":{"Version":"20.10.24","ApiVersion":"1.41"}})");
        _cli->stopContainer("web", "SIGQUIT", 7);
        CPPUNIT_ASSERT(Args({"container", "kill", "--signal=SIGQUIT", "web"}) == argv(2));
        CPPUNIT_ASSERT(Args({"container", "wait", "web"}) == argv(3));
        CPPUNIT_ASSERT(Args({"container", "stop", "-t", "0", "web"}) == argv(4));
        // Already stopped: nothing more to do.
        _dir->write("exit.5", "1");
        _dir->write("stderr.5",
                    "Error response from daemon: Cannot kill container: web: Container abc is not running");
        _cli->stopContainer("web", "SIGQUIT", 7);
        CPPUNIT_ASSERT_EQUAL(std::string("5\n"), _dir->read("count"));
    }

    void testCreateAndConnectArgv()
    {
        _dir->write("stdout.1", "0123abcd\n");
        ContainerSpec spec;
        spec.networkMode = "front";
        spec.networks = {
            NetworkEndpoint{"front", {"web"}, "10.0.0.5", "", {}, {}, "", {}},
            NetworkEndpoint{"back", {"api", "api2"}, "", "fd00::5", {}, {"db:database"}, "", {}}};
        spec.options = {"--publish=8080:80/tcp"};
        spec.commandSet = true;
        spec.command = {"serve", "--port", "80"};
        CPPUNIT_ASSERT_EQUAL(std::string("0123abcd"), _cli->createContainer(spec, "demo/app:2", "web"));
        _cli->connectNetwork("web", spec.networks[1]);
        CPPUNIT_ASSERT(
            Args({"create", "--name=web", "--network=front", "--network-alias=web", "--ip=10.0.0.5",
                  "--publish=8080:80/tcp", "demo/app:2", "serve", "--port", "80"}) == argv(1));
        CPPUNIT_ASSERT(Args({"network", "connect", "--alias=api", "--alias=api2", "--ip6=fd00::5",
                             "--link=db:database", "back", "web"}) == argv(2));
    }

    void testRunIsCreateArgvWithRunDetached()
    {
        _dir->write("stdout.1", "0123abcd\n");
        _dir->write("stdout.2", "\n");
        ContainerSpec spec;
        spec.networks = {NetworkEndpoint{"front", {"web"}, "", "", {}, {}, "", {}}};
        spec.options = {"--publish=8080:80/tcp"};
        CPPUNIT_ASSERT_EQUAL(std::string("0123abcd"), _cli->runContainer(spec, "demo/app:2", "web"));
        CPPUNIT_ASSERT(Args({"run", "-d", "--name=web", "--network=front", "--network-alias=web",
                             "--publish=8080:80/tcp", "demo/app:2"}) == argv(1));
        // A run that prints no id is a failure (the caller looks for the container by its name).
        CPPUNIT_ASSERT_THROW(_cli->runContainer(spec, "demo/app:2", "web"), DockerError);
    }

    void testWaitUntilHealthyPollsInspect()
    {
        _dir->write("stdout.1", R"([{"State":{"Status":"created","Running":false}}])");
        _dir->write("stdout.2",
                    R"([{"State":{"Status":"running","Running":true,"Health":{"Status":"starting"}}}])");
        _dir->write("stdout.3",
                    R"([{"State":{"Status":"running","Running":true,"Health":{"Status":"healthy"}}}])");
        _cli->waitUntilHealthy("web", Poco::Timespan(10, 0));
        CPPUNIT_ASSERT_EQUAL(std::string("3\n"), _dir->read("count"));
        _dir->write("stdout", R"([{"State":{"Status":"running","Running":true,"Health":{"Status":"unhealthy",
            "Log":[{"Output":"curl: connection refused\n"}]}}}])");
        try
        {
            _cli->waitUntilHealthy("web", Poco::Timespan(10, 0));
            CPPUNIT_FAIL("no error");
        }
        catch (const wiretap::backend::BackendError& e)
        {
            CPPUNIT_ASSERT_EQUAL(std::string("container web is unhealthy: curl: connection refused"),
                                 std::string(e.what()));
        }
        _cli->waitUntilRunning("web", Poco::Timespan(10, 0)); // running is enough
    }

    void testWaitFailsWhenTheContainerExits()
    {
        _dir->write("stdout", R"([{"State":{"Status":"exited","Running":false,"ExitCode":3}}])");
        CPPUNIT_ASSERT_THROW(_cli->waitUntilRunning("web", Poco::Timespan(10, 0)),
                             wiretap::backend::BackendError);
        _dir->write("stdout", R"([{"State":{"Status":"restarting","Running":true,"Restarting":true}}])");
        try
        {
            _cli->waitUntilRunning("web", Poco::Timespan(0, 50000));
            CPPUNIT_FAIL("no error");
        }
        catch (const wiretap::backend::BackendError& e)
        {
            CPPUNIT_ASSERT(
                std::string(e.what()).find("did not become running within 0s (last state: restarting)") !=
                std::string::npos);
        }
    }

    void testVersions()
    {
        _dir->write("stdout",
                    R"({"Client":{"Version":"28.2.2","ApiVersion":"1.41"},"Server":{"Version":"20.10.24",
            "ApiVersion":"1.41","MinAPIVersion":"1.12"}})");
        const auto versions = _cli->versions();
        CPPUNIT_ASSERT(Args({"version", "--format", "{{json .}}"}) == argv(1));
        CPPUNIT_ASSERT_EQUAL(std::string("28.2.2"), versions.clientVersion);
        CPPUNIT_ASSERT_EQUAL(std::string("20.10.24"), versions.serverVersion);
        CPPUNIT_ASSERT_EQUAL(std::string("1.12"), versions.serverMinApiVersion);
    }

    void testSwarmManagerCheckIsAskedOnceAMinuteAlsoByCountingViews()
    {
        _dir->write("stdout", R"({"NodeID":"","LocalNodeState":"inactive","ControlAvailable":false})");
        CPPUNIT_ASSERT(!_cli->isSwarmManager());
        CPPUNIT_ASSERT(Args({"info", "--format", "{{json .Swarm}}"}) == argv(1));
        std::atomic<std::size_t> calls{0};
        const auto view = _cli->counting(calls);
        CPPUNIT_ASSERT(!view->isSwarmManager());
        CPPUNIT_ASSERT(!_cli->isSwarmManager());
        CPPUNIT_ASSERT_EQUAL(std::string("1\n"), _dir->read("count"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), calls.load());
    }

    void testListsServicesWithTwoCalls()
    {
        _dir->write("stdout.1", "fedrbg85qjnq\nq1w2e3r4t5y6\n");
        _dir->write(
            "stdout.2",
            R"([{"ID":"fedrbg85qjnqtsnr06m9k146t","Spec":{"Name":"web","Labels":{"wiretap.enable":"true"},
            "TaskTemplate":{"ContainerSpec":{"Image":"demo/app:1@sha256:abc"}},"Mode":{"Replicated":{"Replicas":3}}}}])");
        _dir->write("stderr.2", "Error: no such service: q1w2e3r4t5y6\n");
        _dir->write("exit.2", "1");
        const auto services = _cli->listServices();
        CPPUNIT_ASSERT(Args({"service", "ls", "--quiet"}) == argv(1));
        CPPUNIT_ASSERT(Args({"service", "inspect", "fedrbg85qjnq", "q1w2e3r4t5y6"}) == argv(2));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), services.size()); // the other was removed meanwhile
        CPPUNIT_ASSERT_EQUAL(std::string("web"), services[0].name);
        CPPUNIT_ASSERT_EQUAL(std::string("demo/app:1@sha256:abc"), services[0].image);
        CPPUNIT_ASSERT_EQUAL(3LL, services[0].replicas);
    }

    void testServiceUpdateAndRollbackArgv()
    {
        _cli->updateServiceImage("web", "demo/app:1@sha256:def");
        _cli->rollbackService("web");
        CPPUNIT_ASSERT(Args({"service", "update", "--detach", "--image", "demo/app:1@sha256:def",
                             "--with-registry-auth", "web"}) == argv(1));
        CPPUNIT_ASSERT(Args({"service", "rollback", "--detach", "web"}) == argv(2));
    }

private:
    Args argv(int n) const
    {
        Args words;
        std::string text = _dir->read("argv." + std::to_string(n));
        std::size_t start = 0;
        for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
            words.push_back(text.substr(start, end - start));
        return words;
    }

    std::unique_ptr<TempDir> _dir;
    DockerSettings _settings;
    ProcessRunner _runner;
    std::unique_ptr<DockerCli> _cli;
};

CPPUNIT_TEST_SUITE_REGISTRATION(DockerCliTest);
