#pragma once

#include "handlers/common/api_context.hpp"
#include "server/router.hpp"

namespace rifa::api {

// POST /api/v1/webhooks/{instance}: a payment provider's notification, handed (method, headers,
// raw body) to that payment plugin instance to verify and decode. No bearer token: the plugin's
// signature check is the authentication. 200 {result: applied|ignored, transaccion_id?, status?,
// detail?}; forged or stale signature → 400 and nothing changes; unknown instance → 404.
void register_webhook_routes(Router& router, const ApiContext& context);

}  // namespace rifa::api
