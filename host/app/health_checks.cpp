#include "app/health_checks.hpp"

#include <cstdio>

#include "engine/iso_time.hpp"
#include "storage/repositories/audit_sealer.hpp"

namespace rifa::app {
namespace {

std::string seconds_text(double s) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", s);
  return text;
}

api::HealthCheck database_check(storage::Database& db) {
  api::HealthCheck check{"database", "database", false, "", -1};
  auto ping = db.ping();
  check.up = ping.ok();
  check.detail = ping.ok() ? db.backend_name() : ping.error().message;
  if (ping.ok()) check.latency_ms = *ping;
  // No pooled session came free within the ping's wait (Database::try_lease): every session is in
  // use, which is load, not a database that is down (a dead connection fails its statement instead).
  if (!ping.ok() && ping.error().code == ErrorCode::kUnavailable) {
    check.up = true;
    check.busy = true;
    check.detail = std::string(db.backend_name()) + ": busy: " + ping.error().message +
                   " (database.pool_size sessions all in use)";
  }
  return check;
}

api::HealthCheck job_check(jobs::JobQueue& queue, const HealthOptions& options, MetricsRegistry* metrics) {
  api::HealthCheck check{"jobs", "jobs", true, "", -1};
  check.facts["workers"] = options.job_workers;
  auto backlog = queue.backlog();
  if (!backlog) {
    check.warning = true;
    check.detail = "cannot read the job queue: " + backlog.error().message;
    return check;
  }
  check.facts["due"] = backlog->due;
  check.facts["oldest_due_age_s"] = backlog->oldest_due_age_s;
  check.facts["expired_leases"] = backlog->expired_leases;
  check.facts["dead"] = backlog->dead;
  check.detail = std::to_string(backlog->due) + " due, oldest waiting " + seconds_text(backlog->oldest_due_age_s) +
                 " s; " + std::to_string(backlog->dead) + " dead; " + std::to_string(options.job_workers) +
                 " worker(s) on this host";
  if (backlog->oldest_due_age_s > static_cast<double>(options.job_due_warn.count())) {
    check.warning = true;
    check.detail += " (a job has waited over " + std::to_string(options.job_due_warn.count()) +
                    " s: are workers running on some host?)";
  }
  if (metrics) {
    metrics->gauge("rifa_jobs_due", "Jobs due and not started").set(backlog->due);
    metrics->gauge("rifa_jobs_oldest_due_age_seconds", "How long the oldest due job has waited")
        .set(static_cast<int64_t>(backlog->oldest_due_age_s));
    metrics->gauge("rifa_jobs_expired_leases", "Running jobs whose worker's lease ran out")
        .set(backlog->expired_leases);
    metrics->gauge("rifa_jobs_dead", "Jobs that ran out of attempts (GET /api/v1/admin/jobs?status=dead)")
        .set(backlog->dead);
  }
  return check;
}

nlohmann::json call_json(const plugin_runtime::CallHealth::Call& call) {
  nlohmann::json j = {{"at", engine::format_iso_time(call.at)}, {"operation", call.operation}};
  if (!call.error.empty()) j["error"] = call.error;
  return j;
}

api::HealthCheck plugin_check(const plugin_runtime::PluginInstance& instance) {
  const auto& info = instance.library().info();
  api::HealthCheck check{instance.id(), plugin_runtime::kind_name(info.kind), true, info.name + " " + info.version, -1};
  const auto health = instance.health();
  check.facts["last_success"] = health.last_success ? call_json(*health.last_success) : nlohmann::json(nullptr);
  check.facts["last_failure"] = health.last_failure ? call_json(*health.last_failure) : nlohmann::json(nullptr);
  check.facts["consecutive_failures"] = health.consecutive_failures;
  // Failing now (its latest call failed): degraded, not down — the host still serves everything
  // that does not need this instance, and the provider may be the one that is down.
  if (health.consecutive_failures > 0) {
    check.warning = true;
    check.detail += "; the last " + std::to_string(health.consecutive_failures) + " call(s) failed";
  }
  return check;
}

}  // namespace

api::HealthCheck audit_health_check(storage::Database& db, std::chrono::milliseconds warn_after) {
  api::HealthCheck check{"audit", "audit", true, "", -1};
  auto pending = storage::pending_audit(db);
  if (!pending) {
    check.warning = true;
    check.detail = "cannot read the unsealed audit entries: " + pending.error().message;
    return check;
  }
  check.detail = std::to_string(pending->count) + " unsealed, oldest " + seconds_text(pending->oldest_age_s) + " s";
  check.facts["unsealed"] = pending->count;
  check.facts["oldest_unsealed_age_s"] = pending->oldest_age_s;
  if (pending->count > 0 && pending->oldest_age_s * 1000.0 > static_cast<double>(warn_after.count())) {
    check.warning = true;
    check.detail += " (over the " + std::to_string(warn_after.count()) + " ms bound: is the audit sealer running?)";
  }
  return check;
}

api::HealthProbes make_health_probes(storage::Database& db, jobs::JobQueue& jobs, HealthOptions options) {
  api::HealthProbes probes;
  probes.ready = [&db] { return std::vector<api::HealthCheck>{database_check(db)}; };
  probes.full = [&db, &jobs, options] {
    std::vector<api::HealthCheck> checks{database_check(db)};
    const bool db_up = checks.front().up;
    if (options.metrics) options.metrics->gauge("rifa_database_up", "1 when the database answered a ping").set(db_up);
    if (db_up) {
      checks.push_back(audit_health_check(db, options.audit_warn));
      if (options.metrics) {
        const auto& audit = checks.back().facts;
        options.metrics->gauge("rifa_audit_unsealed", "Audit entries not yet sealed into the hash chain")
            .set(audit.value("unsealed", int64_t{0}));
        options.metrics
            ->gauge("rifa_audit_oldest_unsealed_age_seconds", "How long the oldest unsealed entry has waited")
            .set(static_cast<int64_t>(audit.value("oldest_unsealed_age_s", 0.0)));
      }
      checks.push_back(job_check(jobs, options, options.metrics));
    }
    if (options.plugins) {
      for (const auto& instance : options.plugins->list()) checks.push_back(plugin_check(*instance));
    }
    return checks;
  };
  if (options.metrics) probes.before_metrics = [full = probes.full] { (void)full(); };
  return probes;
}

}  // namespace rifa::app
