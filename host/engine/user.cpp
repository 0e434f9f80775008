#include "engine/user.hpp"

namespace rifa::engine {

const char* to_string(Rol rol) {
  switch (rol) {
    case Rol::kJugador: return "jugador";
    case Rol::kOperador: return "operador";
    case Rol::kAdmin: return "admin";
  }
  return "jugador";
}

std::optional<Rol> parse_rol(std::string_view text) {
  if (text == "jugador") return Rol::kJugador;
  if (text == "operador") return Rol::kOperador;
  if (text == "admin") return Rol::kAdmin;
  return std::nullopt;
}

}  // namespace rifa::engine
