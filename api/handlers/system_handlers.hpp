#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/metrics.hpp"
#include "server/router.hpp"

namespace rifa::api {

// One line of the health report: the database, a plugin instance, or the audit log's sealing.
struct HealthCheck {
  std::string name;       // "database", "audit" or the instance id
  std::string component;  // "database" | "audit" | "lottery" | "payment" | "notifier"
  bool up = false;
  std::string detail;  // backend / plugin name and version, or the failure
  double latency_ms = -1;
  // Up but not as it should be (e.g. audit rows left unsealed past the bound): the report says
  // "degraded" and the status stays 200.
  bool warning = false;
  // Up but saturated (the database: no pooled session free within the ping's wait): reported as
  // "busy", counted as up by /health/ready (taking a loaded host out of rotation only moves its
  // load to the others) and as a warning by /health.
  bool busy = false;
  // More facts merged into the check's object (a plugin's last success and failure, the job
  // queue's backlog); keys must not clash with the fields above.
  nlohmann::json facts = nlohmann::json::object();
};

using HealthProbe = std::function<std::vector<HealthCheck>()>;

struct HealthProbes {
  HealthProbe full;                      // GET /api/v1/health: everything an operator looks at
  HealthProbe ready;                     // GET /api/v1/health/ready: only what this host cannot serve without
  std::function<void()> before_metrics;  // refreshes gauges before GET /metrics renders; may be empty
};

// GET /api/v1/health (200 when every check is up, "degraded" when one of them warns, 503 when one
// is down), the load balancer's pair — GET /api/v1/health/live (the process answers; never looks
// at the database, so a database outage does not get every host restarted) and
// GET /api/v1/health/ready (200 only when this host can serve: take it out of rotation on 503) —
// and GET /metrics (Prometheus).
void register_system_routes(Router& router, HealthProbes probes, const MetricsRegistry& metrics, std::string version);

}  // namespace rifa::api
