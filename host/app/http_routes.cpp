#include "app/http_routes.hpp"

#include "openapi/openapi_document.hpp"

namespace rifa::app {

void register_http_routes(api::Router& router, const ApiWiring& api, api::HealthProbes probes,
                          const MetricsRegistry& metrics, const std::string& version, api::ConfigReload reload) {
  api::register_system_routes(router, std::move(probes), metrics, version);
  api::register_admin_config_routes(router, api.context(), std::move(reload));
  api::register_openapi_route(router);
  api.register_routes(router);
}

}  // namespace rifa::app
