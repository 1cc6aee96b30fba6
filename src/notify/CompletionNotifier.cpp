#include "notify/CompletionNotifier.h"

#include "config/ConfigError.h"
#include "config/ServerSettings.h"
#include "log/LogFields.h"
#include "notify/CertificateErrors.h"
#include "notify/NotificationBodies.h"

#include <Poco/File.h>
#include <Poco/Logger.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLException.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <Poco/URI.h>

#include <memory>
#include <optional>
#include <set>
#include <sstream>

namespace wiretap::notify
{
namespace
{
Poco::Logger& logger()
{
    return Poco::Logger::get("wiretap.notify");
}

bool isHttpUrl(const std::string& text)
{
    try
    {
        const Poco::URI uri(text);
        return (uri.getScheme() == "http" || uri.getScheme() == "https") && !uri.getHost().empty();
    }
    catch (const Poco::Exception&)
    {
        return false;
    }
}
bool isReadableFile(const std::string& path)
{
    try
    {
        const Poco::File file(path);
        return file.isFile() && file.canRead();
    }
    catch (const Poco::Exception&)
    {
        return false;
    }
}
} // namespace

CompletionNotifier::Settings
CompletionNotifier::Settings::fromConfig(const Poco::Util::AbstractConfiguration& config)
{
    Settings settings;
    settings.url = Poco::trim(config.getString("notify.url", ""));
    if (!settings.url.empty() && !isHttpUrl(settings.url))
        throw config::ConfigError("notify.url", "'" + settings.url + "' is not an http:// or https:// URL");
    settings.publicUrl = Poco::trim(config.getString("notify.publicUrl", ""));
    if (!settings.publicUrl.empty() && !isHttpUrl(settings.publicUrl))
        throw config::ConfigError("notify.publicUrl",
                                  "'" + settings.publicUrl + "' is not an http:// or https:// URL");
    while (!settings.publicUrl.empty() && settings.publicUrl.back() == '/')
        settings.publicUrl.pop_back();
    settings.timeout = config::readSeconds(config, "notify.timeout", 10, 0.001);
    settings.caFile = Poco::trim(config.getString("notify.caFile", ""));
    if (!settings.caFile.empty() && !isReadableFile(settings.caFile))
        throw config::ConfigError("notify.caFile", "'" + settings.caFile + "' is not a readable file");
    if (config.hasProperty("notify.callbackHosts"))
    {
        settings.callbackHosts.clear();
        Poco::StringTokenizer hosts(Poco::toLower(config.getString("notify.callbackHosts")), ", ",
                                    Poco::StringTokenizer::TOK_IGNORE_EMPTY |
                                        Poco::StringTokenizer::TOK_TRIM);
        settings.callbackHosts.insert(hosts.begin(), hosts.end());
    }
    return settings;
}

CompletionNotifier::CompletionNotifier(Settings settings) : _settings(std::move(settings))
{
    _worker = std::thread([this] { work(); });
}

CompletionNotifier::~CompletionNotifier()
{
    stop();
}

bool CompletionNotifier::callbackAllowed(const std::string& url) const
{
    if (_settings.callbackHosts.count("*"))
        return true;
    try
    {
        return _settings.callbackHosts.count(Poco::toLower(Poco::URI(url).getHost())) > 0;
    }
    catch (const Poco::Exception&)
    {
        return false;
    }
}

void CompletionNotifier::deployFinished(const deploy::DeployRequest& request,
                                        const deploy::DeployReport& report)
{
    const std::string target =
        _settings.publicUrl.empty() ? "" : _settings.publicUrl + "/v1/deployments/" + report.id;
    std::set<std::string> callbacks;
    for (const auto& event : request.events)
        if (!event.callbackUrl.empty() && callbacks.insert(event.callbackUrl).second)
        {
            if (callbackAllowed(event.callbackUrl))
                enqueue({event.callbackUrl, dockerHubCallback(report, target), "Docker Hub callback"});
            else
                log::warning(logger(), "Callback not sent: its host is not in notify.callbackHosts",
                             {{"URL", event.callbackUrl}, {"Deploy", report.id}});
        }
    if (!_settings.url.empty())
        enqueue({_settings.url, deploySummary(report), "deploy notification"});
}

void CompletionNotifier::enqueue(Notice notice)
{
    std::lock_guard<std::mutex> lock(_mutex);
    if (_stopping)
        return;
    if (_pending.size() >= _settings.maxPending)
    {
        log::warning(logger(), "Notification dropped: too many pending", {{"What", notice.what}});
        return;
    }
    _pending.push_back(std::move(notice));
    _changed.notify_one();
}

void CompletionNotifier::work()
{
    std::unique_lock<std::mutex> lock(_mutex);
    for (;;)
    {
        _changed.wait(lock, [this] { return _stopping || !_pending.empty(); });
        if (_pending.empty())
            return; // stopping, and everything was sent
        Notice notice = std::move(_pending.front());
        _pending.pop_front();
        lock.unlock();
        try
        {
            post(notice.url, *notice.body, _settings.timeout, _settings.caFile);
            log::info(logger(), "Notification sent",
                      {{"What", notice.what}, {"URL", Poco::URI(notice.url).getHost()}});
        }
        catch (const Poco::Exception& exc)
        {
            // what() is only the class name ("SSL Exception"); displayText() says which certificate and why.
            failed(notice, exc.displayText());
        }
        catch (const std::exception& exc)
        {
            failed(notice, exc.what());
        }
        lock.lock();
    }
}

void CompletionNotifier::failed(const Notice& notice, const std::string& error)
{
    log::warning(logger(), "Notification failed",
                 {{"What", notice.what}, {"URL", Poco::URI(notice.url).getHost()}, {"Error", error}});
}

void CompletionNotifier::stop()
{
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _stopping = true;
        _changed.notify_all();
    }
    if (_worker.joinable())
        _worker.join();
}

void CompletionNotifier::post(const std::string& url, const Poco::JSON::Object& body, Poco::Timespan timeout,
                              const std::string& caFile)
{
    const Poco::URI uri(url);
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    std::optional<CertificateErrors> refused; // HTTPS only: why OpenSSL refused a certificate
    if (uri.getScheme() == "https")
    {
        // The system's CAs and caFile. VERIFY_STRICT: POCO skips the host name check for
        // localhost and 127.0.0.1 under VERIFY_RELAXED; strict checks every host the same way.
        Poco::Net::Context::Ptr context = new Poco::Net::Context(
            Poco::Net::Context::TLS_CLIENT_USE, "", "", caFile, Poco::Net::Context::VERIFY_STRICT, 9, true);
        session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), context);
        refused.emplace();
    }
    else if (uri.getScheme() == "http")
        session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    else
        throw std::runtime_error("not an http(s) URL");
    session->setTimeout(timeout);

    std::ostringstream text;
    body.stringify(text);
    const std::string payload = text.str();
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST,
                                   uri.getPathAndQuery().empty() ? "/" : uri.getPathAndQuery(),
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(payload.size()));
    request.set("User-Agent", "wiretap");
    Poco::Net::HTTPResponse response;
    std::string ignored;
    try
    {
        session->sendRequest(request) << payload;
        std::istream& in = session->receiveResponse(response);
        Poco::StreamCopier::copyToString(in, ignored);
    }
    catch (const Poco::Net::SSLException& exc)
    {
        // "certificate verify failed" alone does not say which certificate, or why.
        const std::string why = refused ? refused->describe() : "";
        if (why.empty())
            throw;
        throw Poco::Net::SSLException(exc.message() + ": " + why);
    }
    const int status = static_cast<int>(response.getStatus());
    if (status < 200 || status >= 300)
        throw std::runtime_error("answered " + std::to_string(status) + " " + response.getReason());
}

} // namespace wiretap::notify
