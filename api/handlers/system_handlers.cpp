#include "handlers/system_handlers.hpp"

#include <nlohmann/json.hpp>

namespace rifa::api {

void register_system_routes(Router& router, HealthProbe probe, const MetricsRegistry& metrics,
                            std::string version) {
  router.add("GET", "/api/v1/health", [probe = std::move(probe), version](Request&) {
    const auto checks = probe();
    bool all_up = true;
    bool warning = false;
    nlohmann::json database = nullptr;
    nlohmann::json audit = nullptr;
    nlohmann::json plugins = nlohmann::json::array();
    for (const auto& c : checks) {
      all_up = all_up && c.up;
      warning = warning || (c.up && c.warning);
      nlohmann::json item = {{"status", !c.up ? "down" : c.warning ? "warn" : "up"}, {"detail", c.detail}};
      if (c.latency_ms >= 0) item["latency_ms"] = c.latency_ms;
      if (c.component == "database") {
        database = std::move(item);
      } else if (c.component == "audit") {
        audit = std::move(item);
      } else {
        item["id"] = c.name;
        item["kind"] = c.component;
        plugins.push_back(std::move(item));
      }
    }
    nlohmann::json body = {{"status", !all_up ? "down" : warning ? "degraded" : "up"},
                           {"version", version},
                           {"database", database},
                           {"plugins", plugins}};
    if (!audit.is_null()) body["audit"] = std::move(audit);
    return json_response(all_up ? 200 : 503, body.dump());
  });

  router.add("GET", "/metrics", [&metrics](Request&) {
    Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = metrics.render();
    return r;
  });
}

}  // namespace rifa::api
