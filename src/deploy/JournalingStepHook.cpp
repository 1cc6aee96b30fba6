#include "deploy/JournalingStepHook.h"

#include "deploy/ContainerMatcher.h"

#include <utility>

namespace wiretap::deploy
{

JournalingStepHook::JournalingStepHook(DeployJournal& journal, std::string deployId,
                                       const UpdateTarget& target, std::string host)
    : _journal(journal), _deployId(std::move(deployId)), _target(target), _host(std::move(host))
{
}

ContainerUpdater::StepHook JournalingStepHook::stepHook()
{
    return [this](const std::string& step, const ContainerReport& progress) { beforeStep(step, progress); };
}

ContainerUpdater::FinishHook JournalingStepHook::finishHook()
{
    return [this](const ContainerReport& report) { finished(report); };
}

void JournalingStepHook::beforeStep(const std::string& step, const ContainerReport& progress)
{
    if (_key != 0)
    {
        _journal.step(_key, step, progress.newId);
        return;
    }
    JournaledUpdate update;
    update.host = _host;
    update.deployId = _deployId;
    update.container = _target.summary.name;
    update.oldId = _target.summary.id;
    update.asideName = ContainerUpdater::asideName(_target.summary);
    update.wasRunning = ContainerMatcher::isRunning(_target.summary.state);
    update.image = _target.image;
    update.step = step;
    update.newId = progress.newId;
    _key = _journal.begin(update);
}

void JournalingStepHook::finished(const ContainerReport& report)
{
    // A rollback that did not complete leaves the update open: the next start's
    // CrashRecovery puts the container back under its name.
    if (_key != 0 && report.result != ContainerReport::Result::Failed)
        _journal.finish(_key, toString(report.result));
}

} // namespace wiretap::deploy
