#pragma once

#include "handlers/common/api_context.hpp"
#include "server/router.hpp"

namespace rifa::api {

// Playing by Colombian rules (issue 15): self-exclusion, spending limits and the data subject's
// export.
//  POST   /api/v1/users/{id}/autoexclusion   the player excludes themself ({"periodo": 30d|6m|1y|indefinida})
//  GET    /api/v1/users/{id}/autoexclusion   the exclusion in force and the history (player, staff)
//  DELETE /api/v1/users/{id}/autoexclusion   the player asks to lift an indefinite one (7 days later)
//  GET    /api/v1/autoexclusiones            every exclusion (admin, operador): read only
//  GET    /api/v1/users/{id}/limites         spending limits in force and a pending raise
//  PUT    /api/v1/users/{id}/limites         the player sets them (lowering now, raising after 24 h)
//  GET    /api/v1/users/{id}/export          everything stored about the player (player, admin)
// Erasure is DELETE /api/v1/users/{id}?erase=true (user_handlers).
void register_player_routes(Router& router, const ApiContext& context);

}  // namespace rifa::api
