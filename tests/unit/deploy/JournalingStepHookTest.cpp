#include "deploy/JournalingStepHook.h"
#include "../backend/MockContainerBackend.h"
#include "../backend/TempDir.h"
#include "DeployFixtures.h"
#include "deploy/CrashRecovery.h"
#include "deploy/DeployJournal.h"
#include "deploy/Deployer.h"

#include <Poco/Data/Session.h>

#include <cppunit/extensions/HelperMacros.h>

#include <memory>

using wiretap::backend::MockContainerBackend;
using wiretap::backend::TempDir;
using wiretap::deploy::CrashRecovery;
using wiretap::deploy::Deployer;
using wiretap::deploy::DeployJournal;
using wiretap::deploy::DeployReport;
using wiretap::deploy::DeployRequest;
using wiretap::deploy::DeploySettings;

namespace
{
using wiretap::deploy::fixtures::kImage;
using wiretap::deploy::fixtures::kNew;
using wiretap::deploy::fixtures::kOld;
using wiretap::deploy::fixtures::request;

/// Holds SQLite's write lock on the journal from another connection, as
/// another process could: every journal write fails until it is released.
class JournalLock
{
public:
    explicit JournalLock(const std::string& path) : _session("SQLite", path)
    {
        _session << "BEGIN EXCLUSIVE", Poco::Data::Keywords::now;
    }
    ~JournalLock() { _session << "ROLLBACK", Poco::Data::Keywords::now; }

private:
    Poco::Data::Session _session;
};

/// Notes, at every call that changes a container, what the journal said was
/// about to happen; can lock the journal right after the rename.
class ObservedBackend : public MockContainerBackend
{
public:
    DeployJournal* journal = nullptr;
    bool lockAfterRename = false;
    std::vector<std::string> seen;
    std::unique_ptr<JournalLock> lock;

    void stopContainer(const std::string& container, const std::string& signal, int timeout) override
    {
        note("stop");
        MockContainerBackend::stopContainer(container, signal, timeout);
    }
    void renameContainer(const std::string& container, const std::string& newName) override
    {
        note("rename");
        MockContainerBackend::renameContainer(container, newName);
        if (lockAfterRename && !lock)
            lock = std::make_unique<JournalLock>(journal->path());
    }
    std::string createContainer(const wiretap::backend::ContainerSpec& spec, const std::string& image,
                                const std::string& name) override
    {
        note("create");
        return MockContainerBackend::createContainer(spec, image, name);
    }
    std::string runContainer(const wiretap::backend::ContainerSpec& spec, const std::string& image,
                             const std::string& name) override
    {
        note("run");
        return MockContainerBackend::runContainer(spec, image, name);
    }
    void startContainer(const std::string& container) override
    {
        note("start");
        MockContainerBackend::startContainer(container);
    }
    void removeContainer(const std::string& container, bool force, bool volumes) override
    {
        note("remove");
        MockContainerBackend::removeContainer(container, force, volumes);
    }

private:
    void note(const std::string& call)
    {
        if (!journal || lock)
            return;
        const auto open = journal->unfinished();
        seen.push_back(call + ":" +
                       (open.empty() ? "-" : open.front().step + (open.front().newId.empty() ? "" : "+id")));
    }
};
} // namespace

/// The deployer with a journal: every step is on disk before it runs, the end
/// closes the entry, and a journal that cannot write stops the update safely.
class JournalingStepHookTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(JournalingStepHookTest);
    CPPUNIT_TEST(testEveryStepIsJournaledBeforeItRuns);
    CPPUNIT_TEST(testFinishedUpdateIsClosedWithItsResult);
    CPPUNIT_TEST(testRolledBackUpdateIsClosedAsRolledBack);
    CPPUNIT_TEST(testJournalThatCannotWriteStopsTheUpdateBeforeTheStop);
    CPPUNIT_TEST(testJournalFailingMidUpdateRollsBackAndRecoveryClosesIt);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _dir = std::make_unique<TempDir>();
        _journal = std::make_unique<DeployJournal>(_dir->path());
        _backend = std::make_unique<ObservedBackend>();
        _settings = DeploySettings();
        _settings.minUptime = Poco::Timespan(0);
        Poco::JSON::Object::Ptr image = new Poco::JSON::Object;
        image->set("Id", kOld);
        _backend->addImage(image, {});
        _backend->setPullResult(kImage + ":latest", kNew);
        auto inspect = _backend->addContainer("app1", kImage, kOld);
        Poco::JSON::Object::Ptr host = new Poco::JSON::Object;
        host->set("NetworkMode", "bridge");
        inspect->set("HostConfig", host);
        _oldId = inspect->getValue<std::string>("Id");
        _backend->journal = _journal.get();
    }

    void tearDown() override
    {
        _backend.reset();
        _journal.reset();
        _dir.reset();
    }

    void testEveryStepIsJournaledBeforeItRuns()
    {
        deploy();
        // app1 is on one network: created and started by one `docker run`, journaled before it.
        CPPUNIT_ASSERT_EQUAL(std::string("stop:stop,rename:rename,run:run,remove:remove+id"),
                             joined(_backend->seen));
    }

    void testFinishedUpdateIsClosedWithItsResult()
    {
        const auto report = deploy();
        CPPUNIT_ASSERT_EQUAL(std::string("updated"), toString(report.result));
        const auto updates = _journal->updatesOf("d1");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), updates.size());
        CPPUNIT_ASSERT(updates[0].finished);
        CPPUNIT_ASSERT_EQUAL(std::string("updated"), updates[0].result);
        CPPUNIT_ASSERT_EQUAL(_oldId, updates[0].oldId);
        CPPUNIT_ASSERT_EQUAL(report.containers[0].newId, updates[0].newId);
        CPPUNIT_ASSERT_EQUAL(std::string(kImage), updates[0].image);
        CPPUNIT_ASSERT(updates[0].asideName.find("app1-wiretap-old-") == 0);
        CPPUNIT_ASSERT(updates[0].wasRunning);
    }

    void testRolledBackUpdateIsClosedAsRolledBack()
    {
        _backend->failOn("runContainer.start", "injected", 1);
        deploy();
        const auto updates = _journal->updatesOf("d1");
        CPPUNIT_ASSERT_EQUAL(std::string("rolled_back"), updates.at(0).result);
        CPPUNIT_ASSERT(_journal->unfinished().empty());
    }

    void testJournalThatCannotWriteStopsTheUpdateBeforeTheStop()
    {
        DeployReport report;
        {
            JournalLock lock(_journal->path());
            report = deploy();
        }
        CPPUNIT_ASSERT_EQUAL(std::string("rolled_back"), toString(report.result));
        CPPUNIT_ASSERT(report.containers[0].reason.find("journal before stop failed") == 0);
        CPPUNIT_ASSERT(report.containers[0].reason.find(_journal->path()) != std::string::npos);
        CPPUNIT_ASSERT(_backend->callsTo("stopContainer").empty());
        CPPUNIT_ASSERT(_backend->callsTo("renameContainer").empty());
        CPPUNIT_ASSERT_EQUAL(std::string("running"), _backend->stateOf(_oldId));
        CPPUNIT_ASSERT(_journal->unfinished().empty()); // nothing was begun
    }

    void testJournalFailingMidUpdateRollsBackAndRecoveryClosesIt()
    {
        _backend->lockAfterRename = true;
        const auto report = deploy();
        _backend->lock.reset();
        CPPUNIT_ASSERT_EQUAL(std::string("rolled_back"), toString(report.result));
        CPPUNIT_ASSERT(report.containers[0].reason.find("journal before run failed") == 0);
        CPPUNIT_ASSERT(_backend->callsTo("runContainer").empty());
        CPPUNIT_ASSERT_EQUAL(std::string("app1"), joined(_backend->containerNames()));
        CPPUNIT_ASSERT_EQUAL(std::string("running"), _backend->stateOf(_oldId));
        // Its end could not be written either: the next start finds it and closes it.
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _journal->unfinished().size());
        CrashRecovery(*_backend, *_journal).run();
        CPPUNIT_ASSERT(_journal->unfinished().empty());
        CPPUNIT_ASSERT_EQUAL(std::string("running"), _backend->stateOf(_oldId));
    }

private:
    DeployReport deploy()
    {
        Deployer deployer(*_backend, _settings, _journal.get());
        return deployer.run(request());
    }

    static std::string joined(const std::vector<std::string>& words)
    {
        std::string out;
        for (const auto& word : words)
            out += (out.empty() ? "" : ",") + word;
        return out;
    }

    std::unique_ptr<TempDir> _dir;
    std::unique_ptr<DeployJournal> _journal;
    std::unique_ptr<ObservedBackend> _backend;
    DeploySettings _settings;
    std::string _oldId;
};

CPPUNIT_TEST_SUITE_REGISTRATION(JournalingStepHookTest);
