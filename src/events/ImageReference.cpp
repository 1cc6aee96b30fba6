#include "events/ImageReference.h"
#include "events/ReferenceError.h"
#include "events/ReferenceGrammar.h"

#include <Poco/String.h>

#include <utility>

namespace wiretap::events
{
namespace
{
const std::string kLegacyDockerHub = "index.docker.io";
const std::string kOfficialPrefix = "library/";

bool hasUpperCase(const std::string& text)
{
    for (const char c : text)
    {
        if (c >= 'A' && c <= 'Z')
            return true;
    }
    return false;
}
} // namespace

ImageReference::ImageReference(std::string domain, std::string path, std::string tag, std::string digest)
    : _domain(std::move(domain)), _path(std::move(path)), _tag(std::move(tag)), _digest(std::move(digest))
{
}

ImageReference ImageReference::parse(const std::string& text)
{
    if (text.empty())
        throw ReferenceError(text, "the reference is empty");
    if (ReferenceGrammar::isImageId(text))
        throw ReferenceError(text, "64 hex digits are an image id, not a reference");

    std::string domain = kDockerHub;
    std::string remainder = text;
    const auto slash = text.find('/');
    if (slash != std::string::npos && ReferenceGrammar::looksLikeDomain(text.substr(0, slash)))
    {
        domain = text.substr(0, slash);
        remainder = text.substr(slash + 1);
    }

    std::string digest;
    const auto at = remainder.find('@');
    if (at != std::string::npos)
    {
        digest = remainder.substr(at + 1);
        remainder.erase(at);
        if (digest.empty())
            throw ReferenceError(text, "the digest after '@' is empty");
    }
    std::string tag;
    const auto colon = remainder.find(':');
    if (colon != std::string::npos)
    {
        tag = remainder.substr(colon + 1);
        remainder.erase(colon);
        if (tag.empty())
            throw ReferenceError(text, "the tag after ':' is empty");
    }
    if (hasUpperCase(remainder))
        throw ReferenceError(text, "repository path must be lower case");
    return fromParts(domain, remainder, tag, digest);
}

std::optional<ImageReference> ImageReference::tryParse(const std::string& text)
{
    try
    {
        return parse(text);
    }
    catch (const ReferenceError&)
    {
        return std::nullopt;
    }
}

ImageReference ImageReference::fromParts(const std::string& domain, const std::string& path,
                                         const std::string& tag, const std::string& digest)
{
    const auto rendered = [&]()
    {
        std::string text = domain + "/" + path;
        if (!tag.empty())
            text += ":" + tag;
        if (!digest.empty())
            text += "@" + digest;
        return text;
    };

    std::string problem = ReferenceGrammar::domainProblem(domain);
    if (!problem.empty())
        throw ReferenceError(rendered(), problem);
    std::string normalDomain = domain == kLegacyDockerHub ? kDockerHub : domain;
    std::string normalPath = path;
    if (normalDomain == kDockerHub && path.find('/') == std::string::npos)
        normalPath = kOfficialPrefix + path;

    problem = ReferenceGrammar::pathProblem(normalPath);
    if (problem.empty() && !tag.empty())
        problem = ReferenceGrammar::tagProblem(tag);
    if (problem.empty() && !digest.empty())
        problem = ReferenceGrammar::digestProblem(digest);
    if (!problem.empty())
        throw ReferenceError(rendered(), problem);

    std::string normalTag = (tag.empty() && digest.empty()) ? kDefaultTag : tag;
    return ImageReference(std::move(normalDomain), std::move(normalPath), std::move(normalTag), digest);
}

bool ImageReference::isValidTag(const std::string& tag)
{
    return ReferenceGrammar::tagProblem(tag).empty();
}

bool ImageReference::isValidDigest(const std::string& digest)
{
    return ReferenceGrammar::digestProblem(digest).empty();
}

std::string ImageReference::repository() const
{
    return _domain + "/" + _path;
}

std::string ImageReference::normalized() const
{
    std::string text = repository();
    if (!_tag.empty())
        text += ":" + _tag;
    if (!_digest.empty())
        text += "@" + _digest;
    return text;
}

std::string ImageReference::familiarName() const
{
    if (_domain != kDockerHub)
        return repository();
    // Without `docker.io/`, `docker.io/localhost/app` or `docker.io/my.org/app` would read as a
    // reference to the registry `localhost` or `my.org` (and be pulled from there).
    if (ReferenceGrammar::looksLikeDomain(_path.substr(0, _path.find('/'))))
        return repository();
    if (_path.compare(0, kOfficialPrefix.size(), kOfficialPrefix) != 0)
        return _path;
    const std::string rest = _path.substr(kOfficialPrefix.size());
    return rest.find('/') == std::string::npos ? rest : _path;
}

std::string ImageReference::familiar() const
{
    std::string text = familiarName();
    if (!_tag.empty())
        text += ":" + _tag;
    if (!_digest.empty())
        text += "@" + _digest;
    return text;
}

bool ImageReference::sameRepositoryAndTag(const ImageReference& other) const
{
    return Poco::icompare(_domain, other._domain) == 0 && _path == other._path && _tag == other._tag;
}

bool ImageReference::operator==(const ImageReference& other) const
{
    return _domain == other._domain && _path == other._path && _tag == other._tag && _digest == other._digest;
}

} // namespace wiretap::events
