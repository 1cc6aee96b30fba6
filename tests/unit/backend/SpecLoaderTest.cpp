#include "backend/SpecLoader.h"
#include "InspectFixtures.h"
#include "MockContainerBackend.h"

#include <algorithm>
#include <cppunit/extensions/HelperMacros.h>

using wiretap::backend::InspectFixtures;
using wiretap::backend::loadContainerSpec;
using wiretap::backend::loadContainerSpecs;
using wiretap::backend::MockContainerBackend;

class SpecLoaderTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SpecLoaderTest);
    CPPUNIT_TEST(testReadsManyContainersInThreeCalls);
    CPPUNIT_TEST(testInspectsTheOldImageById);
    CPPUNIT_TEST(testVolumesFromSourcesAreNotPinnedAsOwnVolumes);
    CPPUNIT_TEST(testGoneImageKeepsEverythingExplicit);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _mock.reset(new MockContainerBackend);
        for (const char* name : {"fid-base", "fid-00", "fid-07", "fid-14", "fid-25"})
            _mock->addContainer(InspectFixtures::load(name));
        _mock->addImage(InspectFixtures::load("image-v1"));
    }

    void testReadsManyContainersInThreeCalls()
    {
        const auto specs = loadContainerSpecs(*_mock, {"fid-00", "fid-07", "fid-14"});
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), specs.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), _mock->calls().size());
        CPPUNIT_ASSERT_EQUAL(std::string("container:fid-base"), specs[1].networkMode);
        CPPUNIT_ASSERT(std::find(specs[2].options.begin(), specs[2].options.end(),
                                 "--env=APP_VERSION=pinned") != specs[2].options.end());
    }

    void testInspectsTheOldImageById()
    {
        loadContainerSpec(*_mock, "fid-00");
        const std::string id = wiretap::backend::inspect::string(*InspectFixtures::load("image-v1"), "Id");
        CPPUNIT_ASSERT(std::vector<std::string>({"inspectImages " + id}) == _mock->callsTo("inspectImages"));
    }

    void testVolumesFromSourcesAreNotPinnedAsOwnVolumes()
    {
        const auto spec = loadContainerSpec(*_mock, "fid-25");
        for (const auto& word : spec.options)
            CPPUNIT_ASSERT_MESSAGE(word, word.rfind("--volume=", 0) != 0);
        CPPUNIT_ASSERT(std::find(spec.options.begin(), spec.options.end(), "--volumes-from=fid-base:ro") !=
                       spec.options.end());
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), _mock->calls().size()); // + one inspect of the sources
    }

    void testGoneImageKeepsEverythingExplicit()
    {
        MockContainerBackend mock;
        mock.addContainer(InspectFixtures::load("fid-00"));
        const auto spec = loadContainerSpec(mock, "fid-00");
        CPPUNIT_ASSERT(std::find(spec.options.begin(), spec.options.end(), "--env=APP_VERSION=1.0") !=
                       spec.options.end());
    }

private:
    std::unique_ptr<MockContainerBackend> _mock;
};

CPPUNIT_TEST_SUITE_REGISTRATION(SpecLoaderTest);
