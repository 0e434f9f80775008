#pragma once

#include <chrono>

#include "common/metrics.hpp"
#include "engine/jobs/job_queue.hpp"
#include "handlers/system_handlers.hpp"
#include "plugin_runtime/plugin_registry.hpp"
#include "storage/database.hpp"

namespace rifa::app {

struct HealthOptions {
  // An audit row unsealed longer than this makes the report "degraded" (audit.unsealed_warn_ms).
  std::chrono::milliseconds audit_warn{60000};
  // Job workers this host runs (jobs.workers; 0 on an API-only host: the report says so).
  int job_workers = 0;
  // A due job waiting longer than this makes the report "degraded": no host runs workers, they
  // are stuck, or they are too few.
  std::chrono::seconds job_due_warn{300};
  // Plugin instances whose last call outcome the report lists; nullptr = none.
  const plugin_runtime::PluginRegistry* plugins = nullptr;
  // When set, each report also sets the gauges Prometheus alerts on (deploy/prometheus): the job
  // backlog, the unsealed audit rows, the database being reachable. /metrics asks for a report
  // first, so the gauges are as fresh as the scrape.
  MetricsRegistry* metrics = nullptr;
};

// What /api/v1/health, /health/ready and /metrics ask of this host (api/handlers/system_handlers).
// The full report: the database (ping and its latency), the audit log's sealing, the job queue
// (workers here, due jobs and the oldest one's age, expired leases, dead jobs) and each plugin
// instance's last success and last failure. Ready: the database answers.
api::HealthProbes make_health_probes(storage::Database& db, jobs::JobQueue& jobs, HealthOptions options);

// The "audit" line: up, with a warning when a row has waited to be sealed longer than
// `warn_after` (the sealer is stopped, failing or behind); the detail says how many wait and for
// how long.
api::HealthCheck audit_health_check(storage::Database& db, std::chrono::milliseconds warn_after);

}  // namespace rifa::app
