#pragma once

namespace wiretap::app
{

/// SIGINT, SIGTERM and SIGQUIT are held (blocked, left pending) from the first
/// line of main() until ServerApplication::waitForTerminationRequest() takes
/// them, so a stop request during start-up is a clean stop, not a kill.
/// SIGHUP is held too, in every thread, for HangupListener to take: it reopens
/// the log files and never terminates wiretap (nor a one-shot mode such as
/// --check-config, where it stays pending).
/// Child processes must not inherit that mask: once
/// releaseInChildProcesses() was called, every fork()ed child restores the
/// mask wiretap was started with. (The daemon fork happens earlier and keeps
/// them held.) The docker CLI is not fork()ed: ProcessRunner uses posix_spawn
/// and gives it an empty mask and default dispositions itself.
void holdTerminationSignals();
void releaseInChildProcesses();

} // namespace wiretap::app
