#include "server/request_metrics.hpp"

#include <array>

namespace rifa::api {

std::string_view method_label(std::string_view method) {
  static constexpr std::array<std::string_view, 7> kKnown = {"GET",   "HEAD",   "POST",   "PUT",
                                                             "PATCH", "DELETE", "OPTIONS"};
  for (auto known : kKnown) {
    if (method == known) return known;
  }
  return "other";
}

std::string status_label(int status) {
  if (status < 100 || status > 599) return "other";
  return std::to_string(status);
}

void record_request(MetricsRegistry& metrics, std::string_view method, const std::string& route, int status,
                    double elapsed_s) {
  const std::string method_value(method_label(method));
  metrics
      .counter("rifa_http_requests_total", "HTTP requests by route and status",
               {{"method", method_value}, {"route", route}, {"status", status_label(status)}})
      .inc();
  metrics
      .histogram("rifa_http_request_duration_seconds", "HTTP request latency by route",
                 {{"method", method_value}, {"route", route}})
      .observe(elapsed_s);
}

}  // namespace rifa::api
