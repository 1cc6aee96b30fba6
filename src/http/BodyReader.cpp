#include "http/BodyReader.h"

#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <istream>

namespace wiretap::http
{

std::string readBody(Poco::Net::HTTPServerRequest& request, std::size_t maxBytes, Poco::Timespan deadline)
{
    const std::string limit = std::to_string(maxBytes) + " bytes";
    if (request.hasContentLength() && request.getContentLength64() > static_cast<Poco::Int64>(maxBytes))
        throw BodyTooLarge("request body of " + std::to_string(request.getContentLength64()) +
                           " bytes is over the limit of " + limit);

    const Poco::Timestamp started;
    std::istream& in = request.stream();
    std::string body;
    // One allocation of the announced size instead of a chain of doublings (each large one
    // makes glibc consolidate its fast bins under the arena lock); a false length only costs
    // reallocations later, and the limit was checked above.
    if (request.hasContentLength() && request.getContentLength64() > 0)
        body.reserve(static_cast<std::size_t>(request.getContentLength64()));
    char buffer[8192];
    // peek() performs at most one receive (bounded by the socket timeout);
    // what it buffered is then taken without blocking, so the deadline is
    // checked after every packet, not after every 8 KiB.
    while (in.peek() != std::char_traits<char>::eof())
    {
        const std::streamsize available = std::max<std::streamsize>(1, in.rdbuf()->in_avail());
        in.read(buffer, std::min<std::streamsize>(available, sizeof buffer));
        const auto got = static_cast<std::size_t>(in.gcount());
        if (body.size() + got > maxBytes)
            throw BodyTooLarge("request body is over the limit of " + limit);
        body.append(buffer, got);
        if (started.isElapsed(deadline.totalMicroseconds()))
            throw BodyTimeout("request body not received within " +
                              std::to_string(deadline.totalMilliseconds()) + " ms");
    }
    return body;
}

void discardBody(Poco::Net::HTTPServerRequest& request, std::size_t maxBytes, Poco::Timespan deadline)
{
    try
    {
        // Each receive may wait no longer than the whole deadline (the connection is closed after).
        if (auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request))
            impl->socket().setReceiveTimeout(deadline);
        const Poco::Timestamp started;
        std::istream& in = request.stream();
        char buffer[8192];
        std::size_t dropped = 0;
        while (dropped < maxBytes && !started.isElapsed(deadline.totalMicroseconds()) &&
               in.peek() != std::char_traits<char>::eof())
        {
            const std::streamsize available = std::max<std::streamsize>(1, in.rdbuf()->in_avail());
            in.read(buffer, std::min<std::streamsize>(available, sizeof buffer));
            dropped += static_cast<std::size_t>(in.gcount());
        }
    }
    catch (const std::exception&)
    {
        // The client went away or stalled: it will not read the answer either.
    }
}

} // namespace wiretap::http
