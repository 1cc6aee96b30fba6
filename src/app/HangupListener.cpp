#include "app/HangupListener.h"

#include <csignal>

#include <pthread.h>

namespace wiretap::app
{

HangupListener::HangupListener(std::function<void()> onHangup) : _onHangup(std::move(onHangup))
{
    _thread = std::thread([this] { run(); });
}

HangupListener::~HangupListener()
{
    _stopping.store(true);
    // Wakes sigwait() in run(); SIGHUP is blocked in that thread, so this cannot kill anything.
    pthread_kill(_thread.native_handle(), SIGHUP);
    _thread.join();
}

void HangupListener::run()
{
    sigset_t hangup;
    sigemptyset(&hangup);
    sigaddset(&hangup, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &hangup, nullptr);
    while (true)
    {
        int signal = 0;
        if (sigwait(&hangup, &signal) != 0)
            continue;
        if (_stopping.load())
            return;
        try
        {
            _onHangup();
        }
        catch (...)
        {
            // A failed reopen must not end the process; the callback reports its own errors.
        }
    }
}

} // namespace wiretap::app
