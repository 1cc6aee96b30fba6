#include "log/LogrusFormatter.h"
#include "log/JsonLogFormatter.h"
#include "log/LogFields.h"

#include <Poco/DateTime.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

using wiretap::log::JsonLogFormatter;
using wiretap::log::LogrusFormatter;
using wiretap::log::makeMessage;

namespace
{
Poco::Message seedMessage(const std::string& text, const wiretap::log::Fields& fields)
{
    Poco::Message message = makeMessage("wiretap.deploy", Poco::Message::PRIO_INFORMATION, text, fields);
    message.setTime(Poco::DateTime(2016, 4, 19, 10, 55, 50).timestamp());
    return message;
}
} // namespace

class LogrusFormatterTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(LogrusFormatterTest);
    CPPUNIT_TEST(testFormatsTheSeedsPullLine);
    CPPUNIT_TEST(testLeavesIdsAndNamesBare);
    CPPUNIT_TEST(testQuotesTheMessageByTheSameRuleAsValues);
    CPPUNIT_TEST(testEscapesQuotesNewlinesAndControlCharacters);
    CPPUNIT_TEST(testQuotesEmptyValues);
    CPPUNIT_TEST(testMapsPocoPrioritiesToLogrusLevels);
    CPPUNIT_TEST(testJsonFormatParsesBackWithFields);
    CPPUNIT_TEST_SUITE_END();

public:
    void testFormatsTheSeedsPullLine()
    {
        LogrusFormatter formatter;
        std::string line;
        formatter.format(seedMessage("Pulling newer image", {{"Image", "jamiehannaford/hello-world-app"}}),
                         line);
        CPPUNIT_ASSERT_EQUAL(
            std::string("time=\"2016-04-19T10:55:50Z\" level=info msg=\"Pulling newer image\" "
                        "Image=\"jamiehannaford/hello-world-app\""),
            line);
    }

    void testLeavesIdsAndNamesBare()
    {
        LogrusFormatter formatter;
        std::string line;
        formatter.format(seedMessage("Killing container",
                                     {{"ID", "80e3bd1d15fb"}, {"Name", "app1"}, {"Signal", "SIGTERM"}}),
                         line);
        CPPUNIT_ASSERT_EQUAL(std::string("time=\"2016-04-19T10:55:50Z\" level=info msg=\"Killing container\" "
                                         "ID=80e3bd1d15fb Name=app1 Signal=SIGTERM"),
                             line);
    }

    void testQuotesTheMessageByTheSameRuleAsValues()
    {
        // logrus formats msg as one more key: a one-word message stays bare.
        LogrusFormatter formatter;
        std::string line;
        formatter.format(seedMessage("Stopped", {}), line);
        CPPUNIT_ASSERT_EQUAL(std::string("time=\"2016-04-19T10:55:50Z\" level=info msg=Stopped"), line);
        formatter.format(seedMessage("a=b", {}), line);
        CPPUNIT_ASSERT_EQUAL(std::string("time=\"2016-04-19T10:55:50Z\" level=info msg=\"a=b\""), line);
        formatter.format(seedMessage("", {}), line);
        CPPUNIT_ASSERT_EQUAL(std::string("time=\"2016-04-19T10:55:50Z\" level=info msg=\"\""), line);
    }

    void testEscapesQuotesNewlinesAndControlCharacters()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("\"say \\\"hi\\\"\\n\\x01\""),
                             LogrusFormatter::quoteIfNeeded(std::string("say \"hi\"\n\x01")));
        CPPUNIT_ASSERT_EQUAL(std::string("\"a\\\\b\""), LogrusFormatter::quoteIfNeeded("a\\b"));
        CPPUNIT_ASSERT_EQUAL(std::string("\"ünïcode\""), LogrusFormatter::quoteIfNeeded("ünïcode"));
    }

    void testQuotesEmptyValues()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("\"\""), LogrusFormatter::quoteIfNeeded(""));
    }

    void testMapsPocoPrioritiesToLogrusLevels()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("info"),
                             LogrusFormatter::levelName(Poco::Message::PRIO_INFORMATION));
        CPPUNIT_ASSERT_EQUAL(std::string("info"), LogrusFormatter::levelName(Poco::Message::PRIO_NOTICE));
        CPPUNIT_ASSERT_EQUAL(std::string("warning"), LogrusFormatter::levelName(Poco::Message::PRIO_WARNING));
        CPPUNIT_ASSERT_EQUAL(std::string("error"), LogrusFormatter::levelName(Poco::Message::PRIO_ERROR));
        CPPUNIT_ASSERT_EQUAL(std::string("error"), LogrusFormatter::levelName(Poco::Message::PRIO_CRITICAL));
        CPPUNIT_ASSERT_EQUAL(std::string("fatal"), LogrusFormatter::levelName(Poco::Message::PRIO_FATAL));
        CPPUNIT_ASSERT_EQUAL(std::string("debug"), LogrusFormatter::levelName(Poco::Message::PRIO_DEBUG));
        CPPUNIT_ASSERT_EQUAL(std::string("trace"), LogrusFormatter::levelName(Poco::Message::PRIO_TRACE));
    }

    void testJsonFormatParsesBackWithFields()
    {
        JsonLogFormatter formatter;
        std::string line;
        formatter.format(seedMessage("New container created", {{"ID", "7d04"}, {"Name", "app \"1\""}}), line);
        CPPUNIT_ASSERT(line.find('\n') == std::string::npos);
        Poco::JSON::Parser parser;
        auto object = parser.parse(line).extract<Poco::JSON::Object::Ptr>();
        CPPUNIT_ASSERT_EQUAL(std::string("2016-04-19T10:55:50.000Z"), object->getValue<std::string>("time"));
        CPPUNIT_ASSERT_EQUAL(std::string("info"), object->getValue<std::string>("level"));
        CPPUNIT_ASSERT_EQUAL(std::string("New container created"), object->getValue<std::string>("msg"));
        CPPUNIT_ASSERT_EQUAL(std::string("wiretap.deploy"), object->getValue<std::string>("logger"));
        CPPUNIT_ASSERT_EQUAL(std::string("7d04"), object->getValue<std::string>("ID"));
        CPPUNIT_ASSERT_EQUAL(std::string("app \"1\""), object->getValue<std::string>("Name"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(LogrusFormatterTest);
