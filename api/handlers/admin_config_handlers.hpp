#pragma once

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "handlers/common/api_context.hpp"
#include "server/router.hpp"

namespace rifa::api {

// What a config reload answered (host/app/config_reload): whether it applied, why not (the file's
// errors as file:line:col, or the rule it breaks), and its report (plugins, bindings, restart needed).
struct ConfigReloadAnswer {
  bool applied = false;
  std::string error;
  nlohmann::json report = nlohmann::json::object();
};
// Runs one reload as the given actor (user id). Empty: this process cannot reload (it was not
// started by `rifa-host serve` from a file).
using ConfigReload = std::function<ConfigReloadAnswer(const std::string& actor)>;

// POST /api/v1/admin/config/reload (admin): the same reload as SIGHUP, answered with its report.
// 200 applied; 422 refused (nothing changed; `detail` says what and where, `reload` the report).
void register_admin_config_routes(Router& router, const ApiContext& context, ConfigReload reload);

}  // namespace rifa::api
