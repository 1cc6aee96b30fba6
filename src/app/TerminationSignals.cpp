#include "app/TerminationSignals.h"

#include <atomic>
#include <csignal>

#include <pthread.h>

namespace wiretap::app
{
namespace
{
sigset_t originalMask;
std::atomic<bool> releaseInChildren{false};

void restoreInChild()
{
    if (releaseInChildren.load())
        pthread_sigmask(SIG_SETMASK, &originalMask, nullptr);
}
} // namespace

void holdTerminationSignals()
{
    sigset_t held;
    sigemptyset(&held);
    sigaddset(&held, SIGINT);
    sigaddset(&held, SIGTERM);
    sigaddset(&held, SIGQUIT);
    sigaddset(&held, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &held, &originalMask);
    pthread_atfork(nullptr, nullptr, restoreInChild);
}

void releaseInChildProcesses()
{
    releaseInChildren.store(true);
}

} // namespace wiretap::app
