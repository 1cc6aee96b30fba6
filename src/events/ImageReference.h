#pragma once

#include <optional>
#include <string>

namespace wiretap::events
{

/// A validated, normalized image reference: `domain/path[:tag][@digest]`,
/// parsed as Docker does (docs/image-references.md). Normalization puts Docker
/// Hub names under `docker.io` (`index.docker.io` too) and official images
/// under `library/`, and gives a reference without tag or digest the tag
/// `latest`. The domain keeps its case, as in Docker.
class ImageReference
{
public:
    static constexpr const char* kDockerHub = "docker.io";
    static constexpr const char* kDefaultTag = "latest";

    /// Parses a reference as typed by a user (`ubuntu`, `user/app:v1`,
    /// `127.0.0.1:5000/demo/app@sha256:...`); throws ReferenceError.
    static ImageReference parse(const std::string& text);
    /// parse() without the exception.
    static std::optional<ImageReference> tryParse(const std::string& text);
    /// Builds a reference from a registry event's parts. Unlike parse(), the
    /// domain is always taken as a domain (a registry may be called `registry`).
    /// An empty tag and digest give `latest`; throws ReferenceError.
    static ImageReference fromParts(const std::string& domain, const std::string& path,
                                    const std::string& tag, const std::string& digest = "");

    static bool isValidTag(const std::string& tag);
    static bool isValidDigest(const std::string& digest);

    const std::string& domain() const { return _domain; }
    const std::string& path() const { return _path; }
    /// Empty only when the reference names a digest and no tag.
    const std::string& tag() const { return _tag; }
    /// Empty unless the reference names one.
    const std::string& digest() const { return _digest; }

    /// `domain/path`, e.g. `docker.io/library/ubuntu`.
    std::string repository() const;
    /// `domain/path[:tag][@digest]`, e.g. `docker.io/library/ubuntu:latest`.
    std::string normalized() const;
    /// Docker's short form of repository(): `ubuntu`, `user/app`, `ghcr.io/o/app`.
    std::string familiarName() const;
    /// familiarName() with the tag and digest: `ubuntu:latest`.
    std::string familiar() const;

    /// Same registry (host names compare case-insensitively), path and tag;
    /// digests are not compared.
    bool sameRepositoryAndTag(const ImageReference& other) const;

    bool operator==(const ImageReference& other) const;
    bool operator!=(const ImageReference& other) const { return !(*this == other); }

private:
    ImageReference(std::string domain, std::string path, std::string tag, std::string digest);

    std::string _domain;
    std::string _path;
    std::string _tag;
    std::string _digest;
};

} // namespace wiretap::events
