#include "handlers/system_handlers.hpp"

#include <nlohmann/json.hpp>

namespace rifa::api {

namespace {

nlohmann::json check_json(const HealthCheck& c) {
  nlohmann::json item = {{"status", !c.up       ? "down"
                                    : c.busy    ? "busy"
                                    : c.warning ? "warn"
                                                : "up"},
                         {"detail", c.detail}};
  if (c.latency_ms >= 0) item["latency_ms"] = c.latency_ms;
  for (const auto& [key, value] : c.facts.items()) item[key] = value;
  return item;
}

}  // namespace

void register_system_routes(Router& router, HealthProbes probes, const MetricsRegistry& metrics, std::string version) {
  router.add("GET", "/api/v1/health/live", [version](Request&) {
    return json_response(200, nlohmann::json{{"status", "up"}, {"version", version}}.dump());
  });
  router.add("GET", "/api/v1/health/ready", [probe = probes.ready](Request&) {
    bool ready = true;
    nlohmann::json checks = nlohmann::json::object();
    for (const auto& c : probe()) {
      ready = ready && c.up;
      checks[c.name] = check_json(c);
    }
    return json_response(ready ? 200 : 503,
                         nlohmann::json{{"status", ready ? "ready" : "not_ready"}, {"checks", checks}}.dump());
  });
  router.add("GET", "/api/v1/health", [probe = std::move(probes.full), version](Request&) {
    const auto checks = probe();
    bool all_up = true;
    bool warning = false;
    nlohmann::json database = nullptr;
    nlohmann::json audit = nullptr;
    nlohmann::json jobs = nullptr;
    nlohmann::json plugins = nlohmann::json::array();
    for (const auto& c : checks) {
      all_up = all_up && c.up;
      warning = warning || (c.up && (c.warning || c.busy));
      nlohmann::json item = check_json(c);
      if (c.component == "database") {
        database = std::move(item);
      } else if (c.component == "audit") {
        audit = std::move(item);
      } else if (c.component == "jobs") {
        jobs = std::move(item);
      } else {
        item["id"] = c.name;
        item["kind"] = c.component;
        plugins.push_back(std::move(item));
      }
    }
    nlohmann::json body = {{"status", !all_up   ? "down"
                                      : warning ? "degraded"
                                                : "up"},
                           {"version", version},
                           {"database", database},
                           {"plugins", plugins}};
    if (!audit.is_null()) body["audit"] = std::move(audit);
    if (!jobs.is_null()) body["jobs"] = std::move(jobs);
    return json_response(all_up ? 200 : 503, body.dump());
  });

  router.add("GET", "/metrics", [&metrics, refresh = std::move(probes.before_metrics)](Request&) {
    if (refresh) refresh();
    Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = metrics.render();
    return r;
  });
}

}  // namespace rifa::api
