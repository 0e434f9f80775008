#pragma once

#include <cstdint>
#include <map>
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
  std::string email;           // stored normalised: NFKC + case fold (engine/email_identity.hpp)
  std::string email_skeleton;  // its confusable skeleton; empty when not computed yet
  std::optional<std::string> telefono;
  std::string hashed_password;
  Rol rol = Rol::kJugador;
  TimePoint creado_en;
  bool is_active = true;
  // Access tokens issued (iat, Unix seconds) before this are refused: moved past the current
  // second by a password change, a role change and a (de)activation.
  int64_t tokens_valid_from_s = 0;
  // Notification channels the player turned on or off ("email" → false); a channel not listed is
  // on. A channel is a notifier plugin's name (settlement::NotifierProfile::channel). Off means
  // nothing on that channel except receipts of money movements (notification_service.hpp).
  std::map<std::string, bool> notificaciones;
  // Issue 15. YYYY-MM-DD; empty for accounts made before it was asked for (they cannot buy).
  std::optional<std::string> fecha_nacimiento;
  std::optional<std::string> documento_tipo;  // CC, CE, PP
  std::optional<std::string> documento_numero;
  // Consent to the data policy (Ley 1581 de 2012): its version and when it was given.
  std::optional<std::string> consentimiento_version;
  std::optional<TimePoint> consentimiento_en;
  // Set when the personal fields were erased (the account is then inactive for good).
  std::optional<TimePoint> anonimizado_en;
};

// At most this many channels in notificaciones; a channel name matches ^[a-z][a-z0-9_]{0,31}$.
inline constexpr size_t kMaxNotificationChannels = 16;

// Column limits of the users table (DESIGN.md data model).
inline constexpr size_t kNombreMaxLength = 120;
inline constexpr size_t kEmailMaxLength = 255;
inline constexpr size_t kTelefonoMaxLength = 32;

}  // namespace rifa::engine
