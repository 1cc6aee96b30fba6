#include "events/JsonField.h"
#include "events/PayloadError.h"

#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

#include <functional>

using wiretap::events::JsonField;
using wiretap::events::PayloadError;

namespace
{
JsonField parse(const std::string& json)
{
    return JsonField(Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>());
}

std::string errorOf(const std::function<void()>& read)
{
    try
    {
        read();
    }
    catch (const PayloadError& error)
    {
        return error.what();
    }
    return "no error";
}
} // namespace

class JsonFieldTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(JsonFieldTest);
    CPPUNIT_TEST(testPathsNameKeysAndIndexes);
    CPPUNIT_TEST(testTypeNames);
    CPPUNIT_TEST(testMissingParentIsReportedWhereItIsMissing);
    CPPUNIT_TEST(testWrongTypedParentIsReportedAtTheParent);
    CPPUNIT_TEST(testStringOrFallsBackOnlyForMissingValues);
    CPPUNIT_TEST(testStringOrEmptyNeverThrows);
    CPPUNIT_TEST(testKeysAndSizes);
    CPPUNIT_TEST_SUITE_END();

public:
    void testPathsNameKeysAndIndexes()
    {
        const auto root = parse(R"({"events": [{"target": {"tag": "v1"}}]})");
        CPPUNIT_ASSERT_EQUAL(std::string("events[0].target.tag"), root["events"][0]["target"]["tag"].path());
        CPPUNIT_ASSERT_EQUAL(std::string("v1"), root["events"][0]["target"]["tag"].string());
        CPPUNIT_ASSERT_EQUAL(
            std::string("message.data.tag"),
            JsonField(Poco::JSON::Object::Ptr(new Poco::JSON::Object), "message.data")["tag"].path());
    }

    void testTypeNames()
    {
        const auto root = parse(R"({"o": {}, "a": [], "s": "", "n": 1.5, "i": 3, "b": false, "z": null})");
        CPPUNIT_ASSERT_EQUAL(std::string("object"), root["o"].typeName());
        CPPUNIT_ASSERT_EQUAL(std::string("array"), root["a"].typeName());
        CPPUNIT_ASSERT_EQUAL(std::string("string"), root["s"].typeName());
        CPPUNIT_ASSERT_EQUAL(std::string("number"), root["n"].typeName());
        CPPUNIT_ASSERT_EQUAL(std::string("number"), root["i"].typeName());
        CPPUNIT_ASSERT_EQUAL(std::string("boolean"), root["b"].typeName());
        CPPUNIT_ASSERT_EQUAL(std::string("missing"), root["z"].typeName());
        CPPUNIT_ASSERT_EQUAL(std::string("missing"), root["nope"].typeName());
        CPPUNIT_ASSERT_EQUAL(1.5, root["n"].number());
    }

    void testMissingParentIsReportedWhereItIsMissing()
    {
        const auto root = parse(R"({"a": {}})");
        CPPUNIT_ASSERT_EQUAL(std::string("a.b: missing"),
                             errorOf([&]() { root["a"]["b"]["c"][2]["d"].string(); }));
        CPPUNIT_ASSERT_EQUAL(std::string("a.b: missing"), errorOf([&]() { root["a"]["b"].requireObject(); }));
    }

    void testWrongTypedParentIsReportedAtTheParent()
    {
        const auto root = parse(R"({"a": [1], "s": "x"})");
        CPPUNIT_ASSERT_EQUAL(std::string("a: expected an object, got array"),
                             errorOf([&]() { root["a"]["b"].string(); }));
        CPPUNIT_ASSERT_EQUAL(std::string("s: expected an array, got string"),
                             errorOf([&]() { root["s"][0].string(); }));
        CPPUNIT_ASSERT_EQUAL(std::string("a[0]: expected a string, got number"),
                             errorOf([&]() { root["a"][0].string(); }));
        CPPUNIT_ASSERT_EQUAL(std::string("a[5]: missing"), errorOf([&]() { root["a"][5].string(); }));
        CPPUNIT_ASSERT_EQUAL(std::string("s: expected a number, got string"),
                             errorOf([&]() { root["s"].number(); }));
    }

    void testStringOrFallsBackOnlyForMissingValues()
    {
        const auto root = parse(R"({"n": null, "i": 1, "o": {}, "s": "x"})");
        CPPUNIT_ASSERT_EQUAL(std::string("d"), root["n"].stringOr("d"));
        CPPUNIT_ASSERT_EQUAL(std::string("d"), root["nope"]["deeper"].stringOr("d"));
        CPPUNIT_ASSERT_EQUAL(std::string("d"), root["o"]["x"].stringOr("d"));
        CPPUNIT_ASSERT_EQUAL(std::string("x"), root["s"].stringOr("d"));
        CPPUNIT_ASSERT_EQUAL(std::string("i: expected a string, got number"),
                             errorOf([&]() { root["i"].stringOr("d"); }));
        CPPUNIT_ASSERT_EQUAL(std::string("s: expected an object, got string"),
                             errorOf([&]() { root["s"]["x"].stringOr("d"); }));
    }

    void testStringOrEmptyNeverThrows()
    {
        const auto root = parse(R"({"i": 1, "s": "x"})");
        CPPUNIT_ASSERT_EQUAL(std::string(), root["i"].stringOrEmpty());
        CPPUNIT_ASSERT_EQUAL(std::string(), root["s"]["x"].stringOrEmpty());
        CPPUNIT_ASSERT_EQUAL(std::string("x"), root["s"].stringOrEmpty());
    }

    void testKeysAndSizes()
    {
        const auto root = parse(R"({"b": 1, "a": [1, 2, 3]})");
        CPPUNIT_ASSERT((std::vector<std::string>{"a", "b"}) == root.keys());
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), root["a"].size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), root["b"].size());
        CPPUNIT_ASSERT(root["a"].keys().empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(JsonFieldTest);
