#include "deploy/DeploymentHistory.h"
#include "../backend/TempDir.h"
#include "deploy/DeployJournal.h"

#include <cppunit/extensions/HelperMacros.h>

#include <memory>
#include <sstream>

using wiretap::backend::TempDir;
using wiretap::deploy::DeployJournal;
using wiretap::deploy::DeploymentHistory;
using wiretap::deploy::DeployReport;

namespace
{
DeployReport report(const std::string& id)
{
    DeployReport result;
    result.id = id;
    result.image = "docker.io/demo/app:latest";
    result.result = DeployReport::Result::Updated;
    return result;
}

std::string text(const Poco::JSON::Object::Ptr& json)
{
    std::ostringstream out;
    json->stringify(out);
    return out.str();
}
} // namespace

/// /v1/deployments' store: the same JSON as the report gave, newest first, in
/// memory or through the journal so that it survives a restart.
class DeploymentHistoryTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(DeploymentHistoryTest);
    CPPUNIT_TEST(testInMemoryKeepsTheNewestUpToItsCapacity);
    CPPUNIT_TEST(testWithAJournalReportsSurviveARestart);
    CPPUNIT_TEST_SUITE_END();

public:
    void testInMemoryKeepsTheNewestUpToItsCapacity()
    {
        DeploymentHistory history(2);
        for (const std::string id : {"a", "b", "c"})
            history.add(report(id));
        const auto recent = history.recent(10);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), recent.size());
        CPPUNIT_ASSERT_EQUAL(std::string("c"), recent[0]->getValue<std::string>("id"));
        CPPUNIT_ASSERT(history.find("a").isNull());
        CPPUNIT_ASSERT_EQUAL(std::string("b"), history.find("b")->getValue<std::string>("id"));
    }

    void testWithAJournalReportsSurviveARestart()
    {
        TempDir dir;
        const auto saved = report("a");
        {
            DeployJournal journal(dir.path());
            DeploymentHistory history(200, &journal);
            history.add(saved);
        }
        DeployJournal journal(dir.path());
        const DeploymentHistory history(200, &journal);
        CPPUNIT_ASSERT_EQUAL(text(saved.toJson()), text(history.find("a")));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), history.recent(50).size());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DeploymentHistoryTest);
