#include "metrics/Metrics.h"

#include <cppunit/extensions/HelperMacros.h>

#include <stdexcept>

using wiretap::metrics::Metrics;

class MetricsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(MetricsTest);
    CPPUNIT_TEST(testCountersRenderWithHelpTypeAndLabels);
    CPPUNIT_TEST(testGaugeKeepsTheLastValue);
    CPPUNIT_TEST(testHistogramBucketsAreCumulative);
    CPPUNIT_TEST(testLabelValuesAreEscaped);
    CPPUNIT_TEST(testUndescribedMetricIsAProgrammingError);
    CPPUNIT_TEST(testWrongTypeIsAProgrammingError);
    CPPUNIT_TEST_SUITE_END();

public:
    void testCountersRenderWithHelpTypeAndLabels()
    {
        Metrics metrics;
        metrics.describe("wiretap_http_requests_total", Metrics::Type::Counter, "HTTP requests.");
        metrics.increment("wiretap_http_requests_total", {{"route", "/listen"}, {"status", "202"}});
        metrics.increment("wiretap_http_requests_total", {{"route", "/listen"}, {"status", "202"}});
        metrics.increment("wiretap_http_requests_total", {{"route", "/healthz"}, {"status", "200"}});
        CPPUNIT_ASSERT_EQUAL(std::string("# HELP wiretap_http_requests_total HTTP requests.\n"
                                         "# TYPE wiretap_http_requests_total counter\n"
                                         "wiretap_http_requests_total{route=\"/healthz\",status=\"200\"} 1\n"
                                         "wiretap_http_requests_total{route=\"/listen\",status=\"202\"} 2\n"),
                             metrics.render());
        CPPUNIT_ASSERT_EQUAL(
            2.0, metrics.value("wiretap_http_requests_total", {{"route", "/listen"}, {"status", "202"}}));
    }

    void testGaugeKeepsTheLastValue()
    {
        Metrics metrics;
        metrics.describe("wiretap_queue_depth", Metrics::Type::Gauge, "Queued deploys.");
        metrics.set("wiretap_queue_depth", 3);
        metrics.set("wiretap_queue_depth", 1);
        CPPUNIT_ASSERT(metrics.render().find("wiretap_queue_depth 1\n") != std::string::npos);
    }

    void testHistogramBucketsAreCumulative()
    {
        Metrics metrics;
        metrics.describe("wiretap_deploy_duration_seconds", Metrics::Type::Histogram, "Deploy time.",
                         {10, 1, 5});
        metrics.observe("wiretap_deploy_duration_seconds", 0.5);
        metrics.observe("wiretap_deploy_duration_seconds", 1.0);
        metrics.observe("wiretap_deploy_duration_seconds", 7);
        metrics.observe("wiretap_deploy_duration_seconds", 60);
        const std::string text = metrics.render();
        CPPUNIT_ASSERT(text.find("wiretap_deploy_duration_seconds_bucket{le=\"1\"} 2\n") !=
                       std::string::npos);
        CPPUNIT_ASSERT(text.find("wiretap_deploy_duration_seconds_bucket{le=\"5\"} 2\n") !=
                       std::string::npos);
        CPPUNIT_ASSERT(text.find("wiretap_deploy_duration_seconds_bucket{le=\"10\"} 3\n") !=
                       std::string::npos);
        CPPUNIT_ASSERT(text.find("wiretap_deploy_duration_seconds_bucket{le=\"+Inf\"} 4\n") !=
                       std::string::npos);
        CPPUNIT_ASSERT(text.find("wiretap_deploy_duration_seconds_sum 68.5\n") != std::string::npos);
        CPPUNIT_ASSERT(text.find("wiretap_deploy_duration_seconds_count 4\n") != std::string::npos);
    }

    void testLabelValuesAreEscaped()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("a\\\"b\\\\c\\nd"), Metrics::escapeLabelValue("a\"b\\c\nd"));
    }

    void testUndescribedMetricIsAProgrammingError()
    {
        Metrics metrics;
        CPPUNIT_ASSERT_THROW(metrics.increment("nope"), std::logic_error);
    }

    void testWrongTypeIsAProgrammingError()
    {
        Metrics metrics;
        metrics.describe("g", Metrics::Type::Gauge, "A gauge.");
        CPPUNIT_ASSERT_THROW(metrics.increment("g"), std::logic_error);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MetricsTest);
