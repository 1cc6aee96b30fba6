#include "app/MallocArenas.h"
#include "app/TerminationSignals.h"
#include "app/WiretapApplication.h"
#include "log/LogSetup.h"

#include <csignal>

int main(int argc, char** argv)
{
    wiretap::app::limitMallocArenas();
    // wiretap talks to child processes and clients through pipes and sockets:
    // a peer that goes away must be an error return, not a signal.
    std::signal(SIGPIPE, SIG_IGN);
    wiretap::app::holdTerminationSignals();
    wiretap::log::registerLoggingClasses();
    wiretap::app::WiretapApplication app;
    if (const int usage = app.checkOptions(argc, argv); usage != 0)
        return usage;
    return app.run(argc, argv);
}
