#pragma once

#include "deploy/ContainerUpdater.h"
#include "deploy/DeployJournal.h"

#include <cstdint>
#include <string>

namespace wiretap::deploy
{

/// Journals one container update through ContainerUpdater's hooks: the first
/// step records everything crash recovery needs (names, ids, whether it ran,
/// the image), each later one its step and, from "created" on, the new
/// container's id; the end closes the entry with the result. A journal
/// failure before a step is thrown to the updater, which then does not run
/// the step.
class JournalingStepHook
{
public:
    /// `host`: the docker host's name the update runs on (JournaledUpdate::host).
    JournalingStepHook(DeployJournal& journal, std::string deployId, const UpdateTarget& target,
                       std::string host = "");

    ContainerUpdater::StepHook stepHook();
    ContainerUpdater::FinishHook finishHook();

    void beforeStep(const std::string& step, const ContainerReport& progress);
    /// Does nothing when the update was never journaled (its first write failed).
    void finished(const ContainerReport& report);

private:
    DeployJournal& _journal;
    std::string _deployId;
    const UpdateTarget& _target;
    std::string _host;
    std::int64_t _key = 0;
};

} // namespace wiretap::deploy
