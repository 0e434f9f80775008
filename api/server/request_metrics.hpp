#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/metrics.hpp"

namespace rifa::api {

// Labels of the HTTP request metrics, each from a closed set: a client chooses the method token
// and the path, and every distinct value used to become a new series (one client grew /metrics by
// ~285 MB/s with made-up methods).

// GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS as sent (methods are case-sensitive, RFC 9110
// §9.1); anything else is "other".
std::string_view method_label(std::string_view method);

// The status code for codes 100..599, "other" otherwise. Handlers, not clients, pick the status,
// so this set is small in practice; the range check keeps it closed whatever a handler returns.
std::string status_label(int status);

// rifa_http_requests_total{method,route,status} and rifa_http_request_duration_seconds{method,route}.
// `route` must be a route template ("/api/v1/rifas/{id}") or one of the server's fixed names
// ("not_found", "rate_limited", ...), never a path as sent.
void record_request(MetricsRegistry& metrics, std::string_view method, const std::string& route, int status,
                    double elapsed_s);

}  // namespace rifa::api
