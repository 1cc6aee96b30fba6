#pragma once

#include "deploy/DeployReport.h"
#include "deploy/DeployRequest.h"

#include <Poco/JSON/Object.h>
#include <Poco/Timespan.h>
#include <Poco/Util/AbstractConfiguration.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace wiretap::notify
{

/// Tells the world a deploy ended, without ever holding up a deploy: Docker
/// Hub's `callback_url` of every event in the deploy, and `notify.url` when
/// set. POSTs run on the notifier's own thread, over HTTP or HTTPS, each with
/// `notify.timeout`; a failure is logged and dropped (the callback is best effort).
/// HTTPS always verifies the receiver's certificate chain and host name.
class CompletionNotifier
{
public:
    struct Settings
    {
        std::string url;       ///< notify.url: every finished deploy's summary; empty = none
        std::string publicUrl; ///< notify.publicUrl: wiretap's own base URL, for target_url links
        Poco::Timespan timeout = Poco::Timespan(10, 0);
        /// notify.caFile: PEM certificates trusted for HTTPS besides the system's store; empty = none.
        std::string caFile;
        /// notify.callbackHosts: the hosts a Docker Hub callback_url may name (lower case);
        /// "*" allows any. Anyone with the token writes callback_url: without this list they
        /// could make wiretap POST to any address it can reach.
        std::set<std::string> callbackHosts = {"registry.hub.docker.com", "hub.docker.com"};
        std::size_t maxPending = 1000;

        static Settings fromConfig(const Poco::Util::AbstractConfiguration& config);
    };

    explicit CompletionNotifier(Settings settings);
    ~CompletionNotifier();

    CompletionNotifier(const CompletionNotifier&) = delete;
    CompletionNotifier& operator=(const CompletionNotifier&) = delete;

    /// Whether a Docker Hub callback_url may be posted to (its host is in callbackHosts).
    bool callbackAllowed(const std::string& url) const;

    /// Queues the notices for a finished deploy; returns at once.
    void deployFinished(const deploy::DeployRequest& request, const deploy::DeployReport& report);

    /// Sends what is queued (up to the timeout each), then stops.
    void stop();

    /// POSTs `body` as JSON to `url`; throws with the reason on any failure or non-2xx answer.
    /// An https:// receiver must present a certificate for its host that chains to a CA of
    /// the system's store (OpenSSL's: SSL_CERT_FILE and SSL_CERT_DIR apply) or of `caFile`.
    static void post(const std::string& url, const Poco::JSON::Object& body, Poco::Timespan timeout,
                     const std::string& caFile = "");

private:
    struct Notice
    {
        std::string url;
        Poco::JSON::Object::Ptr body;
        std::string what; ///< for the log
    };

    void enqueue(Notice notice);
    void work();
    static void failed(const Notice& notice, const std::string& error);

    Settings _settings;
    std::mutex _mutex;
    std::condition_variable _changed;
    std::deque<Notice> _pending;
    bool _stopping = false;
    std::thread _worker;
};

} // namespace wiretap::notify
