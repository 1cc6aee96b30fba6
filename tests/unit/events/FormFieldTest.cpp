#include "events/FormField.h"
#include "events/PayloadError.h"

#include <cppunit/extensions/HelperMacros.h>

using wiretap::events::formField;
using wiretap::events::PayloadError;

class FormFieldTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(FormFieldTest);
    CPPUNIT_TEST(testDecodesPercentAndPlus);
    CPPUNIT_TEST(testFindsTheFieldAmongOthers);
    CPPUNIT_TEST(testEmptyAndValuelessFields);
    CPPUNIT_TEST(testMissingFieldIsAnError);
    CPPUNIT_TEST(testRepeatedFieldIsAnError);
    CPPUNIT_TEST(testBadPercentEncodingAnywhereIsAnError);
    CPPUNIT_TEST_SUITE_END();

public:
    void testDecodesPercentAndPlus()
    {
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"a": "b+c"})"),
                             formField("payload=%7B%22a%22%3A+%22b%2Bc%22%7D", "payload"));
        CPPUNIT_ASSERT_EQUAL(std::string("\xC3\xA9\n"), formField("payload=%c3%A9%0A", "payload"));
        CPPUNIT_ASSERT_EQUAL(std::string("a=b"), formField("payload=a=b", "payload"));
    }

    void testFindsTheFieldAmongOthers()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("{}"), formField("x=1&&payload=%7B%7D&y", "payload"));
        CPPUNIT_ASSERT_EQUAL(std::string("2"), formField("pay%6coad=2", "payload")); // names are encoded too
        CPPUNIT_ASSERT_EQUAL(std::string("3"), formField("payloads=1&payload=3", "payload"));
    }

    void testEmptyAndValuelessFields()
    {
        CPPUNIT_ASSERT_EQUAL(std::string(), formField("payload=", "payload"));
        CPPUNIT_ASSERT_EQUAL(std::string(), formField("a=1&payload", "payload"));
    }

    void testMissingFieldIsAnError()
    {
        assertError("", "form body has no field 'payload'");
        assertError("{\"action\": \"published\"}", "form body has no field 'payload'");
        assertError("Payload=%7B%7D", "form body has no field 'payload'");
    }

    void testRepeatedFieldIsAnError()
    {
        assertError("payload=%7B%7D&payload=%7B%7D", "form body has the field 'payload' more than once");
    }

    void testBadPercentEncodingAnywhereIsAnError()
    {
        assertError("payload=%7", "form body has a bad percent-encoding at byte 8: '%7'");
        assertError("payload=%zz%7D", "form body has a bad percent-encoding at byte 8: '%zz'");
        assertError("payload=%7B%7D&other=100%", "form body has a bad percent-encoding at byte 24: '%'");
        assertError("p%ayload=1", "form body has a bad percent-encoding at byte 1: '%ay'");
    }

private:
    static void assertError(const std::string& body, const std::string& message)
    {
        try
        {
            formField(body, "payload");
            CPPUNIT_FAIL("no error for " + body);
        }
        catch (const PayloadError& error)
        {
            CPPUNIT_ASSERT_EQUAL(message, std::string(error.what()));
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FormFieldTest);
