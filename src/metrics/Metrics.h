#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace wiretap::metrics
{

/// Label name/value pairs of one time series, in the order they are printed.
using Labels = std::vector<std::pair<std::string, std::string>>;

/// Counters, gauges and histograms, rendered in Prometheus' text format
/// (version 0.0.4) for `GET /metrics`. Thread-safe. A metric must be
/// described before it is used; using an undescribed one throws
/// std::logic_error (a programming error, caught by the unit tests).
class Metrics
{
public:
    enum class Type
    {
        Counter,
        Gauge,
        Histogram
    };

    void describe(const std::string& name, Type type, const std::string& help,
                  std::vector<double> buckets = {});

    void increment(const std::string& name, const Labels& labels = {}, double by = 1.0);
    void set(const std::string& name, double value, const Labels& labels = {});
    void observe(const std::string& name, double value, const Labels& labels = {});

    /// The current value of a counter or gauge series (0 when never touched).
    double value(const std::string& name, const Labels& labels = {}) const;

    std::string render() const;

    static std::string escapeLabelValue(const std::string& value);

private:
    struct Histogram
    {
        std::vector<std::uint64_t> counts; ///< one per bucket, not cumulative
        std::uint64_t count = 0;
        double sum = 0.0;
    };

    struct Family
    {
        Type type = Type::Counter;
        std::string help;
        std::vector<double> buckets;
        std::map<Labels, double> values;
        std::map<Labels, Histogram> histograms;
    };

    Family& family(const std::string& name, Type expected);

    mutable std::mutex _mutex;
    std::map<std::string, Family> _families;
};

} // namespace wiretap::metrics
