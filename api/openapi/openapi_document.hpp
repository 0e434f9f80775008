#pragma once

#include <string_view>

#include "server/router.hpp"

namespace rifa::api {

// The OpenAPI 3.1 document of this API (api/openapi/openapi.json, embedded at build time).
std::string_view openapi_document();

// GET /api/v1/openapi.json: the document, public (clients and tools fetch it unauthenticated).
void register_openapi_route(Router& router);

}  // namespace rifa::api
