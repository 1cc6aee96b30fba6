#pragma once
// Helpers shared by the events/ suites: fixture bodies, requests, event checks.

#include "events/ImageEvent.h"
#include "events/ParseResult.h"
#include "events/WebhookRequest.h"

#include <Poco/Base64Encoder.h>

#include <cppunit/extensions/HelperMacros.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace payloads
{

/// When every test request arrived: 2023-11-14T22:13:20Z.
inline Poco::Timestamp receivedAt()
{
    return Poco::Timestamp(1700000000LL * 1000000);
}

/// The text of tests/fixtures/payloads/<name>.
inline std::string read(const std::string& name)
{
    const std::string path = std::string(WIRETAP_FIXTURES_DIR) + "/payloads/" + name;
    std::ifstream in(path, std::ios::binary);
    if (!in)
        CPPUNIT_FAIL("cannot read fixture " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

inline wiretap::events::WebhookRequest request(const std::string& body,
                                               const wiretap::events::WebhookRequest::Headers& headers = {
                                                   {"Content-Type", "application/json"}})
{
    return wiretap::events::WebhookRequest(headers, body, {}, receivedAt());
}

/// `text` with every `from` replaced; fails the test when there is none.
inline std::string replaced(std::string text, const std::string& from, const std::string& to)
{
    std::string::size_type pos = text.find(from);
    if (pos == std::string::npos)
        CPPUNIT_FAIL("fixture text does not contain " + from);
    while (pos != std::string::npos)
    {
        text.replace(pos, from.size(), to);
        pos = text.find(from, pos + to.size());
    }
    return text;
}

inline std::string base64(const std::string& text)
{
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << text;
    encoder.close();
    return out.str();
}

/// A Pub/Sub push envelope around `data`.
inline std::string pubSubEnvelope(const std::string& data, const std::string& messageId = "42")
{
    return R"({"message":{"data":")" + base64(data) + R"(","messageId":")" + messageId +
           R"("},"subscription":"projects/p/subscriptions/s"})";
}

inline void assertEvent(const wiretap::events::ImageEvent& event, const std::string& registry,
                        const std::string& repository, const std::string& tag, const std::string& digest,
                        const std::string& deliveryId)
{
    CPPUNIT_ASSERT_EQUAL_MESSAGE("registry", registry, event.registry);
    CPPUNIT_ASSERT_EQUAL_MESSAGE("repository", repository, event.repository);
    CPPUNIT_ASSERT_EQUAL_MESSAGE("tag", tag, event.tag);
    CPPUNIT_ASSERT_EQUAL_MESSAGE("digest", digest, event.digest);
    CPPUNIT_ASSERT_EQUAL_MESSAGE("delivery id", deliveryId, event.deliveryId);
    CPPUNIT_ASSERT_MESSAGE("received time", event.receivedAt == receivedAt());
}

inline void assertIgnored(const wiretap::events::ParseResult& result, const std::vector<std::string>& reasons)
{
    std::ostringstream actual;
    for (const auto& reason : result.ignored)
        actual << "\n  " << reason;
    CPPUNIT_ASSERT_EQUAL_MESSAGE("ignored:" + actual.str(), reasons.size(), result.ignored.size());
    for (std::size_t i = 0; i < reasons.size(); ++i)
        CPPUNIT_ASSERT_EQUAL(reasons[i], result.ignored[i]);
}

inline std::vector<std::string> ids(std::initializer_list<const char*> values)
{
    return std::vector<std::string>(values.begin(), values.end());
}

} // namespace payloads
