#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/metrics.hpp"
#include "server/router.hpp"

namespace rifa::api {

// One line of the health report: the database, or a plugin instance.
struct HealthCheck {
  std::string name;       // "database" or the instance id
  std::string component;  // "database" | "lottery" | "payment" | "notifier"
  bool up = false;
  std::string detail;     // backend / plugin name and version, or the failure
  double latency_ms = -1;
};

using HealthProbe = std::function<std::vector<HealthCheck>()>;

// GET /api/v1/health (200 when every check is up, 503 otherwise) and GET /metrics (Prometheus).
void register_system_routes(Router& router, HealthProbe probe, const MetricsRegistry& metrics,
                            std::string version);

}  // namespace rifa::api
