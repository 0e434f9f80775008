#include "app/http_routes.hpp"

#include "openapi/openapi_document.hpp"

namespace rifa::app {

void register_http_routes(api::Router& router, const ApiWiring& api, api::HealthProbe probe,
                          const MetricsRegistry& metrics, const std::string& version) {
  api::register_system_routes(router, std::move(probe), metrics, version);
  api::register_openapi_route(router);
  api.register_routes(router);
}

}  // namespace rifa::app
