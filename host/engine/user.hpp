#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/clock.hpp"

namespace rifa::engine {

enum class Rol { kJugador, kOperador, kAdmin };

const char* to_string(Rol rol);
std::optional<Rol> parse_rol(std::string_view text);

struct User {
  std::string id;
  std::string nombre;
  std::string email;  // always stored lower-cased
  std::optional<std::string> telefono;
  std::string hashed_password;
  Rol rol = Rol::kJugador;
  TimePoint creado_en;
  bool is_active = true;
};

// Column limits of the users table (DESIGN.md data model).
inline constexpr size_t kNombreMaxLength = 120;
inline constexpr size_t kEmailMaxLength = 255;
inline constexpr size_t kTelefonoMaxLength = 32;

}  // namespace rifa::engine
