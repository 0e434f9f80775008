#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/metrics.hpp"
#include "server/router.hpp"

namespace rifa::api {

// One line of the health report: the database, a plugin instance, or the audit log's sealing.
struct HealthCheck {
  std::string name;       // "database", "audit" or the instance id
  std::string component;  // "database" | "audit" | "lottery" | "payment" | "notifier"
  bool up = false;
  std::string detail;     // backend / plugin name and version, or the failure
  double latency_ms = -1;
  // Up but not as it should be (e.g. audit rows left unsealed past the bound): the report says
  // "degraded" and the status stays 200.
  bool warning = false;
};

using HealthProbe = std::function<std::vector<HealthCheck>()>;

// GET /api/v1/health (200 when every check is up, "degraded" when one of them warns, 503 when one
// is down) and GET /metrics (Prometheus).
void register_system_routes(Router& router, HealthProbe probe, const MetricsRegistry& metrics,
                            std::string version);

}  // namespace rifa::api
