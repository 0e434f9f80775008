#include "handlers/user_json.hpp"

#include "engine/iso_time.hpp"

namespace rifa::api {

nlohmann::json user_json(const engine::User& u) {
  return {
      {"id", u.id},
      {"nombre", u.nombre},
      {"email", u.email},
      {"telefono", u.telefono ? nlohmann::json(*u.telefono) : nlohmann::json(nullptr)},
      {"rol", engine::to_string(u.rol)},
      {"creado_en", engine::format_iso_time(u.creado_en)},
      {"is_active", u.is_active},
      {"notificaciones", u.notificaciones},
      {"fecha_nacimiento", u.fecha_nacimiento ? nlohmann::json(*u.fecha_nacimiento) : nlohmann::json(nullptr)},
      {"documento_tipo", u.documento_tipo ? nlohmann::json(*u.documento_tipo) : nlohmann::json(nullptr)},
      {"documento_numero", u.documento_numero ? nlohmann::json(*u.documento_numero) : nlohmann::json(nullptr)},
      {"consentimiento",
       u.consentimiento_version
           ? nlohmann::json{{"version", *u.consentimiento_version},
                            {"en", u.consentimiento_en ? nlohmann::json(engine::format_iso_time(*u.consentimiento_en))
                                                       : nlohmann::json(nullptr)}}
           : nlohmann::json(nullptr)},
      {"anonimizado_en",
       u.anonimizado_en ? nlohmann::json(engine::format_iso_time(*u.anonimizado_en)) : nlohmann::json(nullptr)}};
}

}  // namespace rifa::api
