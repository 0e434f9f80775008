#pragma once

#include "handlers/common/api_context.hpp"
#include "server/router.hpp"

namespace rifa::api {

// GET /rifas/{id}/verificacion (public): the frozen commitment and its hash, the draw with its
// source, the sold numbers and the winners, and how to check them (docs/VERIFYING.md).
void register_verification_routes(Router& router, const ApiContext& context);

}  // namespace rifa::api
