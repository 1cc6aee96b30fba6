#pragma once

#include <Poco/Formatter.h>

#include <string>

namespace wiretap::log
{

/// One JSON object per line: {"time":...,"level":...,"msg":...,"logger":...,<fields>}.
class JsonLogFormatter : public Poco::Formatter
{
public:
    void format(const Poco::Message& message, std::string& text) override;
};

} // namespace wiretap::log
