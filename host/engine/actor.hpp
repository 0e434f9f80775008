#pragma once

#include <string>

#include "engine/user.hpp"

namespace rifa::engine {

// Who is asking: the authenticated user as the engine sees it (the API builds it from the token
// and the user's current row). Access rules live in the services, not in the HTTP layer.
struct Actor {
  std::string user_id;
  Rol rol = Rol::kJugador;

  bool is_admin() const { return rol == Rol::kAdmin; }
  bool is_staff() const { return rol == Rol::kAdmin || rol == Rol::kOperador; }
};

// The actor the CLI acts as (audit rows say "cli").
inline Actor cli_actor() { return Actor{"cli", Rol::kAdmin}; }

}  // namespace rifa::engine
