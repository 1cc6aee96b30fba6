#pragma once

#include <atomic>
#include <functional>
#include <thread>

namespace wiretap::app
{

/// Calls `onHangup` in a thread of its own each time the process receives SIGHUP
/// (which holdTerminationSignals() keeps blocked in every other thread, so it never
/// terminates wiretap). The thread stops when the listener is destroyed.
class HangupListener
{
public:
    explicit HangupListener(std::function<void()> onHangup);
    ~HangupListener();

    HangupListener(const HangupListener&) = delete;
    HangupListener& operator=(const HangupListener&) = delete;

private:
    void run();

    std::function<void()> _onHangup;
    std::atomic<bool> _stopping{false};
    std::thread _thread;
};

} // namespace wiretap::app
