#include "deploy/ServiceMatcher.h"

#include <cppunit/extensions/HelperMacros.h>

using wiretap::backend::ServiceSummary;
using wiretap::deploy::DeploySettings;
using wiretap::deploy::ServiceMatcher;
using wiretap::events::ImageReference;

namespace
{
const std::string kPin = "@sha256:" + std::string(64, 'a');

ServiceSummary service(const std::string& name, const std::string& image,
                       const std::map<std::string, std::string>& labels = {},
                       const std::map<std::string, std::string>& containerLabels = {})
{
    ServiceSummary summary;
    summary.id = name + "-id";
    summary.name = name;
    summary.image = image;
    summary.labels = labels;
    summary.containerLabels = containerLabels;
    return summary;
}

std::string names(const std::vector<ServiceSummary>& services)
{
    std::string out;
    for (const auto& s : services)
        out += (out.empty() ? "" : ",") + s.name;
    return out;
}
} // namespace

/// Which Swarm services a pushed image concerns: repository and tag, the pin ignored, labels.
class ServiceMatcherTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ServiceMatcherTest);
    CPPUNIT_TEST(testMatchesRepositoryAndTagIgnoringSwarmsPin);
    CPPUNIT_TEST(testNormalizesLikeTheEvent);
    CPPUNIT_TEST(testBareDigestIsSkippedWithAReason);
    CPPUNIT_TEST(testEnableLabelFalseIsRespected);
    CPPUNIT_TEST(testLabelEnableNeedsTheLabelOnServiceOrContainers);
    CPPUNIT_TEST(testServiceLabelWinsOverContainerLabel);
    CPPUNIT_TEST_SUITE_END();

public:
    void testMatchesRepositoryAndTagIgnoringSwarmsPin()
    {
        const auto result =
            match("127.0.0.1:5000/demo/web:v1", {service("pinned", "127.0.0.1:5000/demo/web:v1" + kPin),
                                                 service("plain", "127.0.0.1:5000/demo/web:v1"),
                                                 service("other-tag", "127.0.0.1:5000/demo/web:v2" + kPin),
                                                 service("other-repo", "127.0.0.1:5000/demo/api:v1" + kPin),
                                                 service("unreadable", "Not A Reference")});
        CPPUNIT_ASSERT_EQUAL(std::string("pinned,plain"), names(result.targets));
        CPPUNIT_ASSERT(result.skipped.empty());
    }

    void testNormalizesLikeTheEvent()
    {
        const auto result =
            match("docker.io/library/nginx:latest", {service("short", "nginx:latest" + kPin),
                                                     service("long", "docker.io/library/nginx:latest")});
        CPPUNIT_ASSERT_EQUAL(std::string("short,long"), names(result.targets));
    }

    void testBareDigestIsSkippedWithAReason()
    {
        const auto result = match("demo/web:v1", {service("digest-only", "demo/web" + kPin)});
        CPPUNIT_ASSERT(result.targets.empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), result.skipped.size());
        CPPUNIT_ASSERT(result.skipped[0].reason.find("pinned by digest") == 0);
    }

    void testEnableLabelFalseIsRespected()
    {
        const auto result =
            match("demo/web:v1", {service("off", "demo/web:v1" + kPin, {{"wiretap.enable", " False "}}),
                                  service("on", "demo/web:v1" + kPin, {{"wiretap.enable", "true"}})});
        CPPUNIT_ASSERT_EQUAL(std::string("on"), names(result.targets));
        CPPUNIT_ASSERT_EQUAL(std::string("label wiretap.enable=false"), result.skipped.at(0).reason);
    }

    void testLabelEnableNeedsTheLabelOnServiceOrContainers()
    {
        _settings.labelEnable = true;
        const auto result = match(
            "demo/web:v1", {service("none", "demo/web:v1" + kPin),
                            service("service", "demo/web:v1" + kPin, {{"wiretap.enable", "true"}}),
                            service("containers", "demo/web:v1" + kPin, {}, {{"wiretap.enable", "true"}})});
        CPPUNIT_ASSERT_EQUAL(std::string("service,containers"), names(result.targets));
        CPPUNIT_ASSERT_EQUAL(std::string("none"), result.skipped.at(0).service.name);
        CPPUNIT_ASSERT(result.skipped[0].reason.find("deploy.labelEnable is on") != std::string::npos);
    }

    void testServiceLabelWinsOverContainerLabel()
    {
        const auto result =
            match("demo/web:v1", {service("web", "demo/web:v1" + kPin, {{"wiretap.enable", "false"}},
                                          {{"wiretap.enable", "true"}})});
        CPPUNIT_ASSERT(result.targets.empty());
    }

private:
    ServiceMatcher::Result match(const std::string& pushed, const std::vector<ServiceSummary>& services)
    {
        return ServiceMatcher(_settings).match(ImageReference::parse(pushed), services);
    }

    DeploySettings _settings;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ServiceMatcherTest);
