#include "handlers/user_json.hpp"

#include "engine/iso_time.hpp"

namespace rifa::api {

nlohmann::json user_json(const engine::User& u) {
  return {{"id", u.id},
          {"nombre", u.nombre},
          {"email", u.email},
          {"telefono", u.telefono ? nlohmann::json(*u.telefono) : nlohmann::json(nullptr)},
          {"rol", engine::to_string(u.rol)},
          {"creado_en", engine::format_iso_time(u.creado_en)},
          {"is_active", u.is_active},
          {"notificaciones", u.notificaciones}};
}

}  // namespace rifa::api
