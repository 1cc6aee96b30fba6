#include "TempDir.h"
#include "app/WiretapApplication.h"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <cppunit/extensions/HelperMacros.h>

#include <iostream>
#include <sstream>

using wiretap::app::WiretapApplication;
using wiretap::backend::TempDir;
using Env = std::map<std::string, std::string>;

namespace
{
/// Redirects a stream into a string for its lifetime.
class Capture
{
public:
    explicit Capture(std::ostream& stream) : _stream(stream), _saved(stream.rdbuf(_text.rdbuf())) {}
    ~Capture() { _stream.rdbuf(_saved); }
    std::string text() const { return _text.str(); }

private:
    std::ostream& _stream;
    std::ostringstream _text;
    std::streambuf* _saved;
};
} // namespace

/// `wiretap --check-config` through the real application: validation before anything
/// else, exit 78 with one line naming the key, masked output, no engine, no port.
class CheckConfigTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(CheckConfigTest);
    CPPUNIT_TEST(testValidConfigurationExitsZeroWithMaskedToken);
    CPPUNIT_TEST(testEveryLayerPairThroughTheApplication);
    CPPUNIT_TEST(testEachInvalidValueExits78WithOneLineNamingTheKey);
    CPPUNIT_TEST(testMissingDockerBinaryIsAConfigError);
    CPPUNIT_TEST(testUnknownKeyIsAWarningNamingIt);
    CPPUNIT_TEST(testNeedsNoEngineAndBindsNoPort);
    CPPUNIT_TEST(testMissingConfigFileExits78);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _dir.reset(new TempDir);
        _dir->write("docker", "#!/bin/sh\nexit 1\n", true); // an engine that never answers
        _env = {{"PATH", _dir->path()}, {"TOKEN", "env-token"}};
    }

    void testValidConfigurationExitsZeroWithMaskedToken()
    {
        const auto result = check({});
        CPPUNIT_ASSERT_EQUAL(0, result.status);
        CPPUNIT_ASSERT(has(result.out, "wiretap.token = ********  # environment TOKEN\n"));
        CPPUNIT_ASSERT(has(result.out, "http.port = 8000  # default\n"));
        CPPUNIT_ASSERT(result.out.find("env-token") == std::string::npos);
    }

    void testEveryLayerPairThroughTheApplication()
    {
        const std::string file = _dir->write("wiretap.properties", "http.port = 1111\n"
                                                                   "http.address = 127.0.0.1\n"
                                                                   "wiretap.token = file-token\n"
                                                                   "docker.host = unix:///file.sock\n"
                                                                   "docker.config = /file/docker\n");
        _env["DOCKER_HOST"] = "tcp://env:2376";
        _env["DOCKER_CONFIG"] = "/env/docker";
        const auto result = check({"--config=" + file, "--port=3333", "--set=docker.config=/cli/docker"});
        CPPUNIT_ASSERT_EQUAL(0, result.status);
        CPPUNIT_ASSERT(has(result.out, "deploy.strategy = rolling  # default\n"));          // default only
        CPPUNIT_ASSERT(has(result.out, "http.address = 127.0.0.1  # file " + file + "\n")); // file > default
        CPPUNIT_ASSERT(has(result.out, "wiretap.token = ********  # environment TOKEN\n")); // env > file
        CPPUNIT_ASSERT(has(result.out, "docker.host = tcp://env:2376  # environment DOCKER_HOST\n"));
        CPPUNIT_ASSERT(has(result.out, "http.port = 3333  # command line\n"));            // cli > file
        CPPUNIT_ASSERT(has(result.out, "docker.config = /cli/docker  # command line\n")); // cli > env > file
    }

    void testEachInvalidValueExits78WithOneLineNamingTheKey()
    {
        const std::string folder = _dir->path();
        const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
            {{"--port=eighty"}, "http.port: 'eighty' is not a whole number (command line)"},
            {{"--set=http.port=70000"}, "http.port: 70000 is out of range 0..65535 (command line)"},
            {{"--set=http.address=somewhere"}, "http.address: 'somewhere' is not an IP address"},
            {{"--set=http.requestTimeout=-1"}, "http.requestTimeout: '-1' must not be less than 0.001"},
            {{"--set=http.shutdownTimeout=-3"}, "http.shutdownTimeout: '-3' must not be less than 0"},
            {{"--set=deploy.minUptime=soon"}, "deploy.minUptime: 'soon' is not a number of seconds"},
            {{"--set=deploy.strategy=foo"}, "deploy.strategy: 'foo' is not a strategy (rolling, parallel)"},
            {{"--set=deploy.onFailure=maybe"}, "deploy.onFailure: 'maybe' is not stop or continue"},
            {{"--set=deploy.cleanup=perhaps"}, "deploy.cleanup: 'perhaps' is not a boolean"},
            {{"--set=hooks.nosuch.token=x"}, "hooks.nosuch: 'nosuch' is not a webhook source"},
            {{"--set=notify.url=ftp://example.com/"}, "notify.url: 'ftp://example.com/' is not an http"},
            {{"--set=docker.host=10.0.0.1:2376"}, "docker.host: '10.0.0.1:2376' is not a docker host"},
            {{"--set=docker.tlsVerify=true", "--set=docker.tlsCaCert=" + folder},
             "docker.tlsCaCert: '" + folder + "' is not a file (command line)"},
            {{"--set=docker.timeout=-1"}, "docker.timeout: '-1' must not be less than 0.001"},
            {{"--set=log.level=loud"}, "log.level: 'loud' is not a level"},
            {{"--set=log.format=yaml"}, "log.format: 'yaml' is not a log format (text, json)"},
            {{"--set=logging.channels.c1.class=NoSuchChannel", "--set=logging.loggers.root.channel=c1"},
             "invalid configuration: logging.*: Not found: NoSuchChannel"},
        };
        for (const auto& [args, fragment] : cases)
        {
            const auto result = check(args);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(fragment, 78, result.status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(fragment + " in:\n" + result.log, std::size_t(1),
                                         errorLines(result.log));
            CPPUNIT_ASSERT_MESSAGE(fragment + " in:\n" + result.log, has(result.log, fragment));
            CPPUNIT_ASSERT(result.out.empty());
        }
    }

    void testMissingDockerBinaryIsAConfigError()
    {
        _env["PATH"] = "/nonexistent";
        const auto result = check({});
        CPPUNIT_ASSERT_EQUAL(78, result.status);
        CPPUNIT_ASSERT(has(result.log, "invalid configuration: docker.binary: 'docker' was not found in PATH "
                                       "(/nonexistent)"));
    }

    void testUnknownKeyIsAWarningNamingIt()
    {
        const std::string file = _dir->write("w.properties", "deploy.stratgy = parallel\n");
        const auto result = check({"--config=" + file, "--set=http.prot=1"});
        CPPUNIT_ASSERT_EQUAL(0, result.status);
        CPPUNIT_ASSERT(has(result.log, "level=warning msg=\"Unknown configuration key, ignored\" "
                                       "Key=deploy.stratgy Source=\"file " +
                                           file + "\""));
        CPPUNIT_ASSERT(has(result.log, "Key=http.prot Source=\"command line\""));
        CPPUNIT_ASSERT(has(result.out, "http.prot = 1  # unknown key, ignored; command line\n"));
    }

    void testNeedsNoEngineAndBindsNoPort()
    {
        Poco::Net::ServerSocket busy(Poco::Net::SocketAddress("127.0.0.1", 0));
        const auto result =
            check({"--set=http.address=127.0.0.1", "--port=" + std::to_string(busy.address().port())});
        CPPUNIT_ASSERT_EQUAL(0, result.status); // the fake docker fails every call
    }

    void testMissingConfigFileExits78()
    {
        const auto result = check({"--config=/nonexistent/wiretap.properties"});
        CPPUNIT_ASSERT_EQUAL(78, result.status);
        CPPUNIT_ASSERT(has(result.log, "cannot load configuration file /nonexistent/wiretap.properties"));
    }

private:
    struct Result
    {
        int status;
        std::string out;
        std::string log;
    };

    Result check(std::vector<std::string> args)
    {
        args.insert(args.begin(), {"wiretap", "--check-config"});
        Capture out(std::cout);
        Capture log(std::clog); // Poco's ConsoleChannel writes to std::clog
        WiretapApplication app(_env);
        const int status = app.run(args);
        return {status, out.text(), log.text()};
    }

    static bool has(const std::string& text, const std::string& part)
    {
        return text.find(part) != std::string::npos;
    }

    static std::size_t errorLines(const std::string& log)
    {
        std::size_t count = 0;
        std::istringstream lines(log);
        for (std::string line; std::getline(lines, line);)
            count += line.find("level=error") != std::string::npos ? 1 : 0;
        return count;
    }

    std::unique_ptr<TempDir> _dir;
    Env _env;
};

CPPUNIT_TEST_SUITE_REGISTRATION(CheckConfigTest);
