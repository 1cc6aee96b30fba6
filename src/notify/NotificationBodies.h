#pragma once

#include "deploy/DeployReport.h"

#include <Poco/JSON/Object.h>

#include <string>

namespace wiretap::notify
{

/// Docker Hub's callback body: {"state", "description" (<= 255), "context" (<= 100), "target_url"}.
/// `state` is "success" when the deploy succeeded (updated, up to date, nothing to do), else "failure".
Poco::JSON::Object::Ptr dockerHubCallback(const deploy::DeployReport& report, const std::string& targetUrl);

/// The summary posted to `notify.url`: Slack-compatible (`text`), with the whole report under `deployment`.
Poco::JSON::Object::Ptr deploySummary(const deploy::DeployReport& report);

/// One line for humans: "wiretap: docker.io/demo/app:latest updated (app1, app2) in 7.2 s".
std::string summaryText(const deploy::DeployReport& report);

} // namespace wiretap::notify
