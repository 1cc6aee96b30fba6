#include "events/PayloadParsers.h"
#include "events/AcrParser.h"
#include "events/DistributionParser.h"
#include "events/DockerHubParser.h"
#include "events/GenericParser.h"
#include "events/GitHubParser.h"
#include "events/GooglePubSubParser.h"
#include "events/HarborParser.h"
#include "events/JFrogParser.h"
#include "events/PayloadError.h"
#include "events/QuayParser.h"
#include "events/UnknownSourceError.h"

#include <Poco/String.h>

namespace wiretap::events
{

PayloadParsers PayloadParsers::standard()
{
    PayloadParsers parsers;
    // Formats with identifying headers first; the shapes below do not overlap,
    // and the loosest ones (ACR's `action`, generic's `image`) come last.
    parsers.add(std::make_unique<GitHubParser>());
    parsers.add(std::make_unique<DistributionParser>());
    parsers.add(std::make_unique<JFrogParser>());
    parsers.add(std::make_unique<HarborParser>());
    parsers.add(std::make_unique<GooglePubSubParser>());
    parsers.add(std::make_unique<QuayParser>());
    parsers.add(std::make_unique<DockerHubParser>());
    parsers.add(std::make_unique<AcrParser>());
    parsers.add(std::make_unique<GenericParser>());
    return parsers;
}

void PayloadParsers::add(std::unique_ptr<PayloadParser> parser)
{
    _parsers.push_back(std::move(parser));
}

const PayloadParser* PayloadParsers::find(const std::string& name) const
{
    const std::string wanted = Poco::toLower(name);
    for (const auto& parser : _parsers)
    {
        if (parser->name() == wanted)
            return parser.get();
    }
    return nullptr;
}

std::vector<std::string> PayloadParsers::names() const
{
    std::vector<std::string> result;
    for (const auto& parser : _parsers)
        result.push_back(parser->name());
    return result;
}

const PayloadParser* PayloadParsers::detect(const WebhookRequest& request) const
{
    for (const auto& parser : _parsers)
    {
        if (parser->recognizesHeaders(request))
            return parser.get();
    }
    try
    {
        request.json();
    }
    catch (const PayloadError& error)
    {
        if (!request.isFormEncoded())
            throw;
        throw PayloadError("", error.problem() +
                                   " (a form-encoded body is read as a form only from GitHub, with its "
                                   "X-GitHub-Event header)");
    }
    for (const auto& parser : _parsers)
    {
        if (parser->recognizesBody(request))
            return parser.get();
    }
    return nullptr;
}

ParseResult PayloadParsers::parse(const WebhookRequest& request) const
{
    const PayloadParser* parser = detect(request);
    if (parser == nullptr)
    {
        const auto known = names();
        throw PayloadError("", "body matches no known webhook format (" +
                                   Poco::cat(std::string(", "), known.begin(), known.end()) + ")");
    }
    return parser->parse(request);
}

ParseResult PayloadParsers::parseAs(const std::string& source, const WebhookRequest& request) const
{
    const PayloadParser* parser = find(source);
    if (parser == nullptr)
    {
        const auto known = names();
        throw UnknownSourceError(source, Poco::cat(std::string(", "), known.begin(), known.end()));
    }
    return parser->parse(request);
}

} // namespace wiretap::events
