#pragma once

#include <string>

#include "app/api_wiring.hpp"
#include "common/metrics.hpp"
#include "handlers/admin_config_handlers.hpp"
#include "handlers/system_handlers.hpp"
#include "server/router.hpp"

namespace rifa::app {

// Every route `serve` answers: health and metrics, the OpenAPI document, and ApiWiring's REST
// resources. One function, so that the OpenAPI test (tests/integration/api/openapi_test.cpp)
// checks exactly the set of routes production serves.
void register_http_routes(api::Router& router, const ApiWiring& api, api::HealthProbes probes,
                          const MetricsRegistry& metrics, const std::string& version, api::ConfigReload reload = {});

}  // namespace rifa::app
