#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace rifa {

// A small Prometheus registry: counters and histograms keyed by name + label set, rendered in the
// text exposition format for GET /metrics. Hot paths keep the returned reference; lookups take a
// lock, increments do not.
class Counter {
 public:
  void inc(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds_s);
  void observe(double seconds);
  // Cumulative counts per bound (plus +Inf last), sum and count, read consistently.
  struct Snapshot {
    std::vector<uint64_t> cumulative;
    double sum = 0;
    uint64_t count = 0;
  };
  Snapshot snapshot() const;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  mutable std::mutex mutex_;
  std::vector<uint64_t> buckets_;
  double sum_ = 0;
  uint64_t count_ = 0;
};

// A value that goes up and down (open connections).
class Gauge {
 public:
  void add(int64_t n) { value_.fetch_add(n, std::memory_order_relaxed); }
  void set(int64_t v) { value_.store(v, std::memory_order_relaxed); }
  int64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> value_{0};
};

using Labels = std::vector<std::pair<std::string, std::string>>;

// Label values must come from closed sets (callers map anything a client chose — an HTTP method,
// a path — to a fixed vocabulary first). As a second line of defence each family holds at most
// max_series_per_family label sets: a new label set beyond that is folded into one overflow series
// whose every label value is "other", and rifa_metrics_series_overflow_total{metric=...} counts
// the folds, so one unbounded label can neither grow memory nor the /metrics answer without bound.
class MetricsRegistry {
 public:
  static constexpr size_t kDefaultMaxSeriesPerFamily = 2000;
  explicit MetricsRegistry(size_t max_series_per_family = kDefaultMaxSeriesPerFamily);

  Counter& counter(const std::string& name, const std::string& help, const Labels& labels = {});
  Gauge& gauge(const std::string& name, const std::string& help, const Labels& labels = {});
  Histogram& histogram(const std::string& name, const std::string& help, const Labels& labels = {});
  // Prometheus text format 0.0.4.
  std::string render() const;

 private:
  struct Family {
    std::string help;
    std::string type;
    std::map<std::string, std::unique_ptr<Counter>> counters;
    std::map<std::string, std::unique_ptr<Gauge>> gauges;
    std::map<std::string, std::unique_ptr<Histogram>> histograms;
  };
  // The key under which `labels` are stored in `series`: their rendering, or the overflow key
  // once the family is full. Called with mutex_ held.
  template <typename Series>
  std::string series_key(const std::string& name, const Series& series, const Labels& labels);

  size_t max_series_per_family_;
  mutable std::mutex mutex_;
  std::map<std::string, Family> families_;
};

// Latency buckets in seconds suited to HTTP handlers and plugin calls.
const std::vector<double>& default_latency_buckets_s();

}  // namespace rifa
