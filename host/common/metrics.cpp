#include "common/metrics.hpp"

#include <algorithm>
#include <sstream>

namespace rifa {
namespace {

std::string escape_label_value(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string render_labels(const Labels& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i) out += ",";
    out += labels[i].first + "=\"" + escape_label_value(labels[i].second) + "\"";
  }
  return out + "}";
}

// "{a="1"}" + le → "{a="1",le="0.5"}"
std::string with_le(const std::string& labels, const std::string& le) {
  if (labels.empty()) return "{le=\"" + le + "\"}";
  return labels.substr(0, labels.size() - 1) + ",le=\"" + le + "\"}";
}

const char* const kOverflowFamily = "rifa_metrics_series_overflow_total";

std::string format_double(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds_s) : bounds_(std::move(bounds_s)), buckets_(bounds_.size() + 1, 0) {}

void Histogram::observe(double seconds) {
  const auto idx = static_cast<size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), seconds) - bounds_.begin());
  std::lock_guard lock(mutex_);
  ++buckets_[idx];
  sum_ += seconds;
  ++count_;
}

Histogram::Snapshot Histogram::snapshot() const {
  std::lock_guard lock(mutex_);
  Snapshot s;
  uint64_t running = 0;
  for (auto b : buckets_) {
    running += b;
    s.cumulative.push_back(running);
  }
  s.sum = sum_;
  s.count = count_;
  return s;
}

MetricsRegistry::MetricsRegistry(size_t max_series_per_family)
    : max_series_per_family_(std::max<size_t>(1, max_series_per_family)) {}

template <typename Series>
std::string MetricsRegistry::series_key(const std::string& name, const Series& series, const Labels& labels) {
  std::string key = render_labels(labels);
  if (series.size() < max_series_per_family_ || series.count(key)) return key;
  Labels folded = labels;
  for (auto& label : folded) label.second = "other";
  auto& overflow = families_[kOverflowFamily];
  overflow.help = "New label sets folded into the overflow series because their metric held too many";
  overflow.type = "counter";
  auto& slot = overflow.counters[render_labels({{"metric", name}})];
  if (!slot) slot = std::make_unique<Counter>();
  slot->inc();
  return render_labels(folded);
}

Counter& MetricsRegistry::counter(const std::string& name, const std::string& help, const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto& family = families_[name];
  family.help = help;
  family.type = "counter";
  auto& slot = family.counters[series_key(name, family.counters, labels)];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Gauge& MetricsRegistry::gauge(const std::string& name, const std::string& help, const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto& family = families_[name];
  family.help = help;
  family.type = "gauge";
  auto& slot = family.gauges[series_key(name, family.gauges, labels)];
  if (!slot) slot = std::make_unique<Gauge>();
  return *slot;
}

Histogram& MetricsRegistry::histogram(const std::string& name, const std::string& help, const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto& family = families_[name];
  family.help = help;
  family.type = "histogram";
  auto& slot = family.histograms[series_key(name, family.histograms, labels)];
  if (!slot) slot = std::make_unique<Histogram>(default_latency_buckets_s());
  return *slot;
}

std::string MetricsRegistry::render() const {
  std::lock_guard lock(mutex_);
  std::ostringstream out;
  for (const auto& [name, family] : families_) {
    out << "# HELP " << name << ' ' << family.help << '\n';
    out << "# TYPE " << name << ' ' << family.type << '\n';
    for (const auto& [labels, counter] : family.counters) { out << name << labels << ' ' << counter->value() << '\n'; }
    for (const auto& [labels, gauge] : family.gauges) { out << name << labels << ' ' << gauge->value() << '\n'; }
    for (const auto& [labels, histogram] : family.histograms) {
      const auto snap = histogram->snapshot();
      const auto& bounds = histogram->bounds();
      for (size_t i = 0; i < bounds.size(); ++i) {
        out << name << "_bucket" << with_le(labels, format_double(bounds[i])) << ' ' << snap.cumulative[i] << '\n';
      }
      out << name << "_bucket" << with_le(labels, "+Inf") << ' ' << snap.cumulative.back() << '\n';
      out << name << "_sum" << labels << ' ' << format_double(snap.sum) << '\n';
      out << name << "_count" << labels << ' ' << snap.count << '\n';
    }
  }
  return out.str();
}

const std::vector<double>& default_latency_buckets_s() {
  static const std::vector<double> buckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                              0.1,    0.25,  0.5,    1,     2.5,  5,     10};
  return buckets;
}

}  // namespace rifa
