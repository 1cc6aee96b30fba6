#include "config/ServerSettings.h"
#include "config/ConfigError.h"

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>

#include <cppunit/extensions/HelperMacros.h>

using wiretap::config::ConfigError;
using wiretap::config::ServerSettings;

class ServerSettingsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ServerSettingsTest);
    CPPUNIT_TEST(testDefaultsListenOnAllAddressesPort8000);
    CPPUNIT_TEST(testReadsAddressPortAndTimeouts);
    CPPUNIT_TEST(testRejectsPortThatIsNotANumber);
    CPPUNIT_TEST(testRejectsPortOutOfRange);
    CPPUNIT_TEST(testRejectsAddressThatIsNotAnIp);
    CPPUNIT_TEST(testRejectsNegativeTimeout);
    CPPUNIT_TEST(testRejectsZeroThreads);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { _config = new Poco::Util::MapConfiguration; }

    void testDefaultsListenOnAllAddressesPort8000()
    {
        const auto settings = ServerSettings::fromConfig(*_config);
        CPPUNIT_ASSERT_EQUAL(std::string("0.0.0.0"), settings.address);
        CPPUNIT_ASSERT_EQUAL(static_cast<unsigned short>(8000), settings.port);
        CPPUNIT_ASSERT_EQUAL(256, settings.maxThreads);
        CPPUNIT_ASSERT_EQUAL(128, settings.maxQueued);
        CPPUNIT_ASSERT_EQUAL(Poco::Timespan(30, 0).totalMicroseconds(),
                             settings.shutdownTimeout.totalMicroseconds());
    }

    void testReadsAddressPortAndTimeouts()
    {
        _config->setString("http.address", "127.0.0.1");
        _config->setString("http.port", " 8123 ");
        _config->setString("http.requestTimeout", "2.5");
        _config->setString("http.maxThreads", "4");
        const auto settings = ServerSettings::fromConfig(*_config);
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), settings.address);
        CPPUNIT_ASSERT_EQUAL(static_cast<unsigned short>(8123), settings.port);
        CPPUNIT_ASSERT_EQUAL(Poco::Timespan(2, 500000).totalMicroseconds(),
                             settings.requestTimeout.totalMicroseconds());
        CPPUNIT_ASSERT_EQUAL(4, settings.maxThreads);
    }

    void testRejectsPortThatIsNotANumber()
    {
        _config->setString("http.port", "eighty");
        assertRejected("http.port", "'eighty' is not a whole number");
    }

    void testRejectsPortOutOfRange()
    {
        _config->setString("http.port", "70000");
        assertRejected("http.port", "70000 is out of range 0..65535");
    }

    void testRejectsAddressThatIsNotAnIp()
    {
        _config->setString("http.address", "somewhere");
        assertRejected("http.address", "'somewhere' is not an IP address");
    }

    void testRejectsNegativeTimeout()
    {
        _config->setString("http.shutdownTimeout", "-1");
        assertRejected("http.shutdownTimeout", "'-1' must not be less than 0");
    }

    void testRejectsZeroThreads()
    {
        _config->setString("http.maxThreads", "0");
        assertRejected("http.maxThreads", "0 is out of range 1..1024");
    }

private:
    void assertRejected(const std::string& key, const std::string& problem)
    {
        try
        {
            ServerSettings::fromConfig(*_config);
            CPPUNIT_FAIL("expected ConfigError for " + key);
        }
        catch (const ConfigError& error)
        {
            CPPUNIT_ASSERT_EQUAL(key, error.key());
            CPPUNIT_ASSERT_EQUAL("invalid configuration: " + key + ": " + problem, std::string(error.what()));
        }
    }

    Poco::AutoPtr<Poco::Util::MapConfiguration> _config;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ServerSettingsTest);
