#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Timespan.h>

#include <cstddef>
#include <stdexcept>
#include <string>

namespace wiretap::http
{

/// The request body was larger than allowed (answered 413).
class BodyTooLarge : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

/// The client took longer than allowed to send the whole body (answered 408).
class BodyTimeout : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

/// Reads a request body into memory, stopping at `maxBytes` — also for
/// chunked bodies that announce no length — and at an overall deadline, so a
/// client dripping one byte at a time cannot hold a worker forever.
std::string readBody(Poco::Net::HTTPServerRequest& request, std::size_t maxBytes, Poco::Timespan deadline);

/// Reads and drops what is left of the body — at most `maxBytes`, for at most
/// `deadline` — so a client that sends its whole body before reading gets the
/// refusal instead of a reset connection. Never throws.
void discardBody(Poco::Net::HTTPServerRequest& request, std::size_t maxBytes, Poco::Timespan deadline);

} // namespace wiretap::http
