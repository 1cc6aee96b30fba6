#include "log/JsonLogFormatter.h"
#include "log/LogFields.h"
#include "log/LogrusFormatter.h"

#include <Poco/DateTime.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

#include <regex>

using wiretap::log::Fields;
using wiretap::log::JsonLogFormatter;
using wiretap::log::LogrusFormatter;
using wiretap::log::makeMessage;

namespace
{
/// A logrus text line read back the way a log shipper would: key=value pairs, values
/// bare or double-quoted with Go escapes (\" \\ \n \r \t \xNN).
std::vector<std::pair<std::string, std::string>> parseLogrus(const std::string& line)
{
    std::vector<std::pair<std::string, std::string>> pairs;
    std::size_t pos = 0;
    while (pos < line.size())
    {
        const auto equals = line.find('=', pos);
        if (equals == std::string::npos)
            throw std::runtime_error("no '=' after key at " + std::to_string(pos) + ": " + line);
        const std::string key = line.substr(pos, equals - pos);
        if (key.empty() || key.find(' ') != std::string::npos || key.find('"') != std::string::npos)
            throw std::runtime_error("bad key '" + key + "' in: " + line);
        std::string value;
        pos = equals + 1;
        if (pos < line.size() && line[pos] == '"')
        {
            for (++pos; pos < line.size() && line[pos] != '"'; ++pos)
            {
                if (line[pos] != '\\')
                {
                    value += line[pos];
                    continue;
                }
                const char escaped = line.at(++pos);
                switch (escaped)
                {
                case 'n':
                    value += '\n';
                    break;
                case 'r':
                    value += '\r';
                    break;
                case 't':
                    value += '\t';
                    break;
                case 'x':
                    value += static_cast<char>(std::stoi(line.substr(pos + 1, 2), nullptr, 16));
                    pos += 2;
                    break;
                default:
                    value += escaped;
                }
            }
            if (pos >= line.size())
                throw std::runtime_error("unterminated quote in: " + line);
            ++pos;
        }
        else
        {
            const auto end = line.find(' ', pos);
            value = line.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
            pos = end == std::string::npos ? line.size() : end;
        }
        pairs.emplace_back(key, value);
        if (pos < line.size() && line[pos] != ' ')
            throw std::runtime_error("no space after value at " + std::to_string(pos) + ": " + line);
        ++pos;
    }
    return pairs;
}

Poco::Message message(const std::string& text, const Fields& fields)
{
    auto m = makeMessage("wiretap.test", Poco::Message::PRIO_WARNING, text, fields);
    m.setTime(Poco::DateTime(2016, 4, 19, 10, 55, 50).timestamp());
    return m;
}

const Fields kTrickyFields{
    {"Quote", "say \"hi\""},
    {"Spaces", "two words  and more"},
    {"Newline", "line one\nline two\r\n"},
    {"Tab", "a\tb"},
    {"Unicode", "Grüße, 世界 🚀"},
    {"Equals", "a=b=c"},
    {"Backslash", "C:\\path\\"},
    {"Control", std::string("bell\x07 nul\x01")},
    {"Empty", ""},
    {"Bare", "80e3bd1d15fb"},
    {"Dotted", "1.41-rc.2"},
};
} // namespace

/// Log lines parse back to exactly what was logged, in both formats.
class LogLineRoundTripTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(LogLineRoundTripTest);
    CPPUNIT_TEST(testLogrusLineHasTheSeedsShape);
    CPPUNIT_TEST(testLogrusTrickyValuesRoundTrip);
    CPPUNIT_TEST(testLogrusTrickyMessageRoundTrips);
    CPPUNIT_TEST(testLogrusBareValuesStayBare);
    CPPUNIT_TEST(testJsonTrickyValuesRoundTrip);
    CPPUNIT_TEST(testJsonIsOneLine);
    CPPUNIT_TEST(testClashingFieldKeysGetLogrusPrefix);
    CPPUNIT_TEST_SUITE_END();

public:
    void testLogrusLineHasTheSeedsShape()
    {
        std::string line;
        LogrusFormatter().format(
            message("Pulling newer image", {{"Image", "jamiehannaford/hello-world-app"}}), line);
        CPPUNIT_ASSERT(std::regex_match(
            line, std::regex(R"re(time="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ" level=\w+ msg=.*)re")));
        const auto pairs = parseLogrus(line);
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), pairs.size());
        CPPUNIT_ASSERT_EQUAL(std::string("2016-04-19T10:55:50Z"), pairs[0].second);
        CPPUNIT_ASSERT_EQUAL(std::string("warning"), pairs[1].second);
        CPPUNIT_ASSERT_EQUAL(std::string("Pulling newer image"), pairs[2].second);
        CPPUNIT_ASSERT_EQUAL(std::string("Image"), pairs[3].first);
        CPPUNIT_ASSERT_EQUAL(std::string("jamiehannaford/hello-world-app"), pairs[3].second);
    }

    void testLogrusTrickyValuesRoundTrip()
    {
        std::string line;
        LogrusFormatter().format(message("m", kTrickyFields), line);
        CPPUNIT_ASSERT(line.find('\n') == std::string::npos);
        const auto pairs = parseLogrus(line);
        CPPUNIT_ASSERT_EQUAL(kTrickyFields.size() + 3, pairs.size());
        for (std::size_t i = 0; i < kTrickyFields.size(); ++i)
        {
            CPPUNIT_ASSERT_EQUAL(kTrickyFields[i].key, pairs[i + 3].first);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(kTrickyFields[i].key, kTrickyFields[i].value, pairs[i + 3].second);
        }
    }

    void testLogrusTrickyMessageRoundTrips()
    {
        const std::string text = "cannot \"pull\" a=b\n\tÜ";
        std::string line;
        LogrusFormatter().format(message(text, {}), line);
        CPPUNIT_ASSERT_EQUAL(text, parseLogrus(line).at(2).second);
    }

    void testLogrusBareValuesStayBare()
    {
        std::string line;
        LogrusFormatter().format(
            message("Killing container", {{"ID", "80e3bd1d15fb"}, {"Signal", "SIGTERM"}}), line);
        CPPUNIT_ASSERT(line.find(" ID=80e3bd1d15fb Signal=SIGTERM") != std::string::npos);
    }

    void testJsonTrickyValuesRoundTrip()
    {
        std::string line;
        JsonLogFormatter().format(message("cannot \"pull\"\nÜ", kTrickyFields), line);
        const auto object = Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
        CPPUNIT_ASSERT_EQUAL(std::string("cannot \"pull\"\nÜ"), object->getValue<std::string>("msg"));
        CPPUNIT_ASSERT_EQUAL(std::string("warning"), object->getValue<std::string>("level"));
        CPPUNIT_ASSERT_EQUAL(std::string("2016-04-19T10:55:50.000Z"), object->getValue<std::string>("time"));
        for (const auto& field : kTrickyFields)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(field.key, field.value, object->getValue<std::string>(field.key));
    }

    void testJsonIsOneLine()
    {
        std::string line;
        JsonLogFormatter().format(message("a\nb", kTrickyFields), line);
        CPPUNIT_ASSERT(line.find('\n') == std::string::npos);
        CPPUNIT_ASSERT(line.find('\r') == std::string::npos);
    }

    void testClashingFieldKeysGetLogrusPrefix()
    {
        const Fields clashing{{"msg", "field"}, {"level", "x"}, {"logger", "y"}, {"time", "z"}};
        std::string line;
        LogrusFormatter().format(message("real", clashing), line);
        const auto pairs = parseLogrus(line);
        CPPUNIT_ASSERT_EQUAL(std::string("real"), pairs.at(2).second);
        CPPUNIT_ASSERT_EQUAL(std::string("fields.msg"), pairs.at(3).first);
        CPPUNIT_ASSERT_EQUAL(std::string("logger"), pairs.at(5).first);
        CPPUNIT_ASSERT_EQUAL(std::string("fields.time"), pairs.at(6).first);
        JsonLogFormatter().format(message("real", clashing), line);
        const auto object = Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
        CPPUNIT_ASSERT_EQUAL(std::string("real"), object->getValue<std::string>("msg"));
        CPPUNIT_ASSERT_EQUAL(std::string("field"), object->getValue<std::string>("fields.msg"));
        CPPUNIT_ASSERT_EQUAL(std::string("wiretap.test"), object->getValue<std::string>("logger"));
        CPPUNIT_ASSERT_EQUAL(std::string("y"), object->getValue<std::string>("fields.logger"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(LogLineRoundTripTest);
