#include "config/SettingCatalog.h"

#include <cppunit/extensions/HelperMacros.h>

using wiretap::config::SettingCatalog;

class SettingCatalogTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SettingCatalogTest);
    CPPUNIT_TEST(testKnowsListedKeys);
    CPPUNIT_TEST(testPatternStarIsOneSegment);
    CPPUNIT_TEST(testOpenPrefixesBelongToOthers);
    CPPUNIT_TEST(testUnknownAmongKeepsOrder);
    CPPUNIT_TEST_SUITE_END();

public:
    void testKnowsListedKeys()
    {
        CPPUNIT_ASSERT(_catalog.knows("http.port"));
        CPPUNIT_ASSERT(!_catalog.knows("http.prot"));
        CPPUNIT_ASSERT(!_catalog.knows("http"));
        CPPUNIT_ASSERT(!_catalog.matchesPatternOrPrefix("http.port"));
    }

    void testPatternStarIsOneSegment()
    {
        CPPUNIT_ASSERT(_catalog.knows("hooks.github.token"));
        CPPUNIT_ASSERT(!_catalog.knows("hooks.github.tokn"));
        CPPUNIT_ASSERT(!_catalog.knows("hooks.a.b.token"));
        CPPUNIT_ASSERT(!_catalog.knows("hooks.token"));
    }

    void testOpenPrefixesBelongToOthers()
    {
        CPPUNIT_ASSERT(_catalog.knows("logging.channels.c1.class"));
        CPPUNIT_ASSERT(_catalog.knows("application.logger"));
        CPPUNIT_ASSERT(!_catalog.knows("loggingx.y"));
    }

    void testUnknownAmongKeepsOrder()
    {
        CPPUNIT_ASSERT((std::vector<std::string>{"zz.top", "http.prot"}) ==
                       _catalog.unknownAmong({"zz.top", "http.port", "http.prot", "logging.x"}));
    }

private:
    SettingCatalog _catalog{{{"http.port", "8000"}}, {"hooks.*.token"}, {"logging.", "application."}};
};

CPPUNIT_TEST_SUITE_REGISTRATION(SettingCatalogTest);
