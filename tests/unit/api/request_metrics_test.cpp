// The label vocabulary of the HTTP metrics, and the registry's cap on series per metric (the
// second line of defence when a caller slips an unbounded value into a label).
#include <gtest/gtest.h>

#include <sstream>

#include "common/metrics.hpp"
#include "server/request_metrics.hpp"

namespace rifa::api {
namespace {

size_t lines_starting_with(const std::string& text, const std::string& prefix) {
  size_t n = 0;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) n += line.rfind(prefix, 0) == 0;
  return n;
}

TEST(RequestMetrics, MethodLabelIsOneOfSevenOrOther) {
  for (const char* m : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) EXPECT_EQ(method_label(m), m);
  for (const std::string m : {"get", "TRACE", "CONNECT", "PROPFIND", "M1234", "", "GET ", "GETGETGETGETGET"}) {
    EXPECT_EQ(method_label(m), "other") << m;
  }
}

TEST(RequestMetrics, StatusLabelIsAValidStatusOrOther) {
  EXPECT_EQ(status_label(200), "200");
  EXPECT_EQ(status_label(429), "429");
  EXPECT_EQ(status_label(0), "other");
  EXPECT_EQ(status_label(1000), "other");
  EXPECT_EQ(status_label(-1), "other");
}

TEST(RequestMetrics, RecordedLabelsNeverCarryTheClientsMethod) {
  MetricsRegistry registry;
  for (int i = 0; i < 1000; ++i) record_request(registry, "X" + std::to_string(i), "not_found", 404, 0.001);
  const auto text = registry.render();
  EXPECT_EQ(lines_starting_with(text, "rifa_http_requests_total{"), 1u) << text;
  EXPECT_NE(text.find(R"(rifa_http_requests_total{method="other",route="not_found",status="404"} 1000)"),
            std::string::npos);
}

TEST(MetricsRegistry, SeriesBeyondTheCapFoldIntoOneOverflowSeries) {
  MetricsRegistry registry(50);
  for (int i = 0; i < 100000; ++i) {
    registry.counter("leaky_total", "h", {{"id", std::to_string(i)}, {"kind", "a"}}).inc();
    registry.histogram("leaky_seconds", "h", {{"id", std::to_string(i)}}).observe(0.1);
    registry.gauge("leaky_gauge", "h", {{"id", std::to_string(i)}}).add(1);
  }
  const auto text = registry.render();
  EXPECT_EQ(lines_starting_with(text, "leaky_total{"), 51u);  // 50 + the overflow series
  EXPECT_EQ(lines_starting_with(text, "leaky_seconds_count{"), 51u);
  EXPECT_EQ(lines_starting_with(text, "leaky_gauge{"), 51u);
  EXPECT_NE(text.find(R"(leaky_total{id="other",kind="other"} 99950)"), std::string::npos);
  EXPECT_NE(text.find(R"(rifa_metrics_series_overflow_total{metric="leaky_total"} 99950)"), std::string::npos);
  EXPECT_LT(text.size(), 200u * 1024);
  // Series that exist keep counting where they are.
  registry.counter("leaky_total", "h", {{"id", "7"}, {"kind", "a"}}).inc();
  EXPECT_NE(registry.render().find(R"(leaky_total{id="7",kind="a"} 2)"), std::string::npos);
}

TEST(MetricsRegistry, GaugeGoesUpAndDown) {
  MetricsRegistry registry;
  auto& g = registry.gauge("open_things", "Things open");
  g.add(3);
  g.add(-1);
  const auto text = registry.render();
  EXPECT_NE(text.find("# TYPE open_things gauge\nopen_things 2\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace rifa::api
