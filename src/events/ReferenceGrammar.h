#pragma once

#include <cstddef>
#include <string>

namespace wiretap::events
{

/// The pieces of Docker's reference grammar (distribution/reference), each
/// answering with the problem found, or an empty string when the text is valid.
class ReferenceGrammar
{
public:
    static constexpr std::size_t kMaxPathLength = 255;
    static constexpr std::size_t kMaxTagLength = 128;

    /// host[:port], where host is a DNS name, an IPv4 address or `[IPv6]`.
    static std::string domainProblem(const std::string& domain);
    /// Lower-case components joined by `/`, at most 255 characters.
    static std::string pathProblem(const std::string& path);
    /// `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
    static std::string tagProblem(const std::string& tag);
    /// `algorithm:hex`; sha256, sha384 and sha512 with exactly 64, 96 or 128
    /// lower-case hex digits. Other algorithms are refused, as Docker does.
    static std::string digestProblem(const std::string& digest);

    /// Docker's rule for the first segment of a familiar name: a domain when
    /// it contains `.` or `:`, is `localhost`, or has an upper-case letter.
    static bool looksLikeDomain(const std::string& segment);
    /// 64 lower-case hex digits: an image id, never a reference.
    static bool isImageId(const std::string& text);
};

} // namespace wiretap::events
