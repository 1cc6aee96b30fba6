#include "metrics/Metrics.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

namespace wiretap::metrics
{
namespace
{
std::string formatNumber(double value)
{
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    if (std::isnan(value))
        return "NaN";
    std::ostringstream out;
    out.precision(15);
    out << value;
    return out.str();
}

std::string renderLabels(const Labels& labels, const std::string& extraName = {},
                         const std::string& extraValue = {})
{
    if (labels.empty() && extraName.empty())
        return {};
    std::string out = "{";
    bool first = true;
    for (const auto& [name, value] : labels)
    {
        out += first ? "" : ",";
        out += name + "=\"" + Metrics::escapeLabelValue(value) + "\"";
        first = false;
    }
    if (!extraName.empty())
        out += (first ? "" : ",") + extraName + "=\"" + extraValue + "\"";
    return out + "}";
}

const char* typeName(Metrics::Type type)
{
    switch (type)
    {
    case Metrics::Type::Counter:
        return "counter";
    case Metrics::Type::Gauge:
        return "gauge";
    case Metrics::Type::Histogram:
        return "histogram";
    }
    return "untyped";
}
} // namespace

std::string Metrics::escapeLabelValue(const std::string& value)
{
    std::string out;
    for (const char ch : value)
    {
        if (ch == '\\')
            out += "\\\\";
        else if (ch == '"')
            out += "\\\"";
        else if (ch == '\n')
            out += "\\n";
        else
            out += ch;
    }
    return out;
}

void Metrics::describe(const std::string& name, Type type, const std::string& help,
                       std::vector<double> buckets)
{
    std::lock_guard<std::mutex> lock(_mutex);
    Family& family = _families[name];
    family.type = type;
    family.help = help;
    std::sort(buckets.begin(), buckets.end());
    family.buckets = std::move(buckets);
}

Metrics::Family& Metrics::family(const std::string& name, Type expected)
{
    const auto found = _families.find(name);
    if (found == _families.end())
        throw std::logic_error("metric " + name + " was not described");
    if (found->second.type != expected)
        throw std::logic_error(std::string("metric ") + name + " is a " + typeName(found->second.type));
    return found->second;
}

void Metrics::increment(const std::string& name, const Labels& labels, double by)
{
    std::lock_guard<std::mutex> lock(_mutex);
    family(name, Type::Counter).values[labels] += by;
}

void Metrics::set(const std::string& name, double value, const Labels& labels)
{
    std::lock_guard<std::mutex> lock(_mutex);
    family(name, Type::Gauge).values[labels] = value;
}

void Metrics::observe(const std::string& name, double value, const Labels& labels)
{
    std::lock_guard<std::mutex> lock(_mutex);
    Family& histogramFamily = family(name, Type::Histogram);
    Histogram& histogram = histogramFamily.histograms[labels];
    histogram.counts.resize(histogramFamily.buckets.size());
    const auto bucket =
        std::lower_bound(histogramFamily.buckets.begin(), histogramFamily.buckets.end(), value);
    if (bucket != histogramFamily.buckets.end())
        ++histogram.counts[static_cast<std::size_t>(bucket - histogramFamily.buckets.begin())];
    ++histogram.count;
    histogram.sum += value;
}

double Metrics::value(const std::string& name, const Labels& labels) const
{
    std::lock_guard<std::mutex> lock(_mutex);
    const auto found = _families.find(name);
    if (found == _families.end())
        throw std::logic_error("metric " + name + " was not described");
    const auto series = found->second.values.find(labels);
    return series == found->second.values.end() ? 0.0 : series->second;
}

std::string Metrics::render() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    std::string out;
    for (const auto& [name, family] : _families)
    {
        out += "# HELP " + name + " " + family.help + "\n";
        out += "# TYPE " + name + " " + typeName(family.type) + "\n";
        for (const auto& [labels, value] : family.values)
            out += name + renderLabels(labels) + " " + formatNumber(value) + "\n";
        for (const auto& [labels, histogram] : family.histograms)
        {
            std::uint64_t cumulative = 0;
            for (std::size_t i = 0; i < family.buckets.size(); ++i)
            {
                cumulative += histogram.counts[i];
                out += name + "_bucket" + renderLabels(labels, "le", formatNumber(family.buckets[i])) + " " +
                       std::to_string(cumulative) + "\n";
            }
            out += name + "_bucket" + renderLabels(labels, "le", "+Inf") + " " +
                   std::to_string(histogram.count) + "\n";
            out += name + "_sum" + renderLabels(labels) + " " + formatNumber(histogram.sum) + "\n";
            out += name + "_count" + renderLabels(labels) + " " + std::to_string(histogram.count) + "\n";
        }
    }
    return out;
}

} // namespace wiretap::metrics
