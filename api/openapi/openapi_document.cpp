#include "openapi/openapi_document.hpp"

namespace rifa::api {
namespace embedded {
extern const char kOpenApiJson[];
}  // namespace embedded

std::string_view openapi_document() { return embedded::kOpenApiJson; }

void register_openapi_route(Router& router) {
  router.add("GET", "/api/v1/openapi.json", [](Request&) {
    Response r;
    r.body = std::string(openapi_document());
    return r;
  });
}

}  // namespace rifa::api
