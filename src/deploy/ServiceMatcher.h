#pragma once

#include "backend/ContainerBackend.h"
#include "deploy/DeploySettings.h"
#include "events/ImageReference.h"

#include <string>
#include <vector>

namespace wiretap::deploy
{

/// The Swarm services a pushed image concerns: those whose spec image
/// (Spec.TaskTemplate.ContainerSpec.Image) names the same registry, repository and tag, with
/// the `@sha256:` pin Swarm adds ignored, and whose labels let wiretap update them (the
/// `wiretap.enable` rule of containers; the service's own labels first, then its containers').
/// Pure.
class ServiceMatcher
{
public:
    struct Skipped
    {
        backend::ServiceSummary service;
        std::string reason;
    };

    struct Result
    {
        std::vector<backend::ServiceSummary> targets;
        /// Services on the same repository and tag (or pinned to a bare digest of it) that are
        /// left alone, and why.
        std::vector<Skipped> skipped;
    };

    explicit ServiceMatcher(const DeploySettings& settings) : _settings(settings) {}

    Result match(const events::ImageReference& pushed,
                 const std::vector<backend::ServiceSummary>& services) const;

private:
    const DeploySettings& _settings;
};

} // namespace wiretap::deploy
