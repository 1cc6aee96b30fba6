#include "notify/CompletionNotifier.h"

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>

#include <cppunit/extensions/HelperMacros.h>

using wiretap::notify::CompletionNotifier;

/// Which hosts a Docker Hub callback_url may name: anyone with the token writes it.
class CallbackHostsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(CallbackHostsTest);
    CPPUNIT_TEST(testOnlyDockerHubByDefault);
    CPPUNIT_TEST(testConfiguredHostsReplaceTheDefault);
    CPPUNIT_TEST(testStarAllowsAnyHost);
    CPPUNIT_TEST_SUITE_END();

public:
    void testOnlyDockerHubByDefault()
    {
        CompletionNotifier notifier(settings({}));
        CPPUNIT_ASSERT(notifier.callbackAllowed("https://registry.hub.docker.com/u/a/b/hook/x/"));
        CPPUNIT_ASSERT(notifier.callbackAllowed("https://Registry.Hub.Docker.com/u/a/b/hook/x/"));
        CPPUNIT_ASSERT(!notifier.callbackAllowed("http://169.254.169.254/latest/meta-data/"));
        CPPUNIT_ASSERT(!notifier.callbackAllowed("https://registry.hub.docker.com.evil.example/x"));
        CPPUNIT_ASSERT(!notifier.callbackAllowed("not a url"));
    }

    void testConfiguredHostsReplaceTheDefault()
    {
        CompletionNotifier notifier(settings({{"notify.callbackHosts", " hooks.example.com, 127.0.0.1 "}}));
        CPPUNIT_ASSERT(notifier.callbackAllowed("http://127.0.0.1:8080/cb"));
        CPPUNIT_ASSERT(notifier.callbackAllowed("https://HOOKS.example.com/cb"));
        CPPUNIT_ASSERT(!notifier.callbackAllowed("https://registry.hub.docker.com/u/a/b/hook/x/"));
    }

    void testStarAllowsAnyHost()
    {
        CompletionNotifier notifier(settings({{"notify.callbackHosts", "*"}}));
        CPPUNIT_ASSERT(notifier.callbackAllowed("http://10.0.0.1/cb"));
    }

private:
    static CompletionNotifier::Settings settings(const std::map<std::string, std::string>& values)
    {
        Poco::AutoPtr<Poco::Util::MapConfiguration> config(new Poco::Util::MapConfiguration);
        for (const auto& [key, value] : values)
            config->setString(key, value);
        return CompletionNotifier::Settings::fromConfig(*config);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CallbackHostsTest);
