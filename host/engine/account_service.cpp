#include "engine/account_service.hpp"

#include <chrono>

#include "engine/email_identity.hpp"
#include "engine/player_rules.hpp"
#include "engine/validation.hpp"

namespace rifa::engine {
namespace {

Result<void> check_nombre(const std::string& nombre) {
  if (nombre.empty()) return invalid_field("nombre", "must not be empty");
  if (utf8_length(nombre) > kNombreMaxLength) {
    return invalid_field("nombre", "must be at most " + std::to_string(kNombreMaxLength) + " characters");
  }
  return {};
}

Result<void> check_notificaciones(const std::map<std::string, bool>& channels) {
  for (const auto& [channel, on] : channels) {
    bool ok = !channel.empty() && channel.size() <= 32 && channel[0] >= 'a' && channel[0] <= 'z';
    for (char c : channel) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
    if (!ok) {
      return invalid_field("notificaciones", "channel '" + channel + "' is not a channel name ([a-z][a-z0-9_]{0,31})");
    }
  }
  return {};
}

Result<void> check_telefono(const std::optional<std::string>& telefono) {
  if (telefono && utf8_length(*telefono) > kTelefonoMaxLength) {
    return invalid_field("telefono", "must be at most " + std::to_string(kTelefonoMaxLength) + " characters");
  }
  return {};
}

int64_t unix_seconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

constexpr const char* kEmailTaken = "an account with this email already exists (or with one that looks like it)";

}  // namespace

AccountService::AccountService(UserRepository& users, const PasswordPolicy& passwords, const Clock& clock,
                               IdGenerator& ids, LoginThrottle* throttle)
    : users_(users), passwords_(passwords), clock_(clock), ids_(ids), throttle_(throttle) {}

Result<Registration> AccountService::register_user(const NewUser& input) {
  // Public sign-up is a jugador's: adults only, identified, and consenting to the data policy.
  if (!input.fecha_nacimiento) return invalid_field("fecha_nacimiento", "is required (YYYY-MM-DD)");
  if (!input.documento_tipo) return invalid_field("documento_tipo", "is required (CC, CE or PP)");
  if (!input.documento_numero) return invalid_field("documento_numero", "is required");
  if (!input.acepta_politica_datos) {
    return invalid_field("acepta_politica_datos",
                         "must be true: the data policy (Ley 1581 de 2012) must be accepted to register");
  }
  auto created = create(input, Rol::kJugador, std::nullopt);
  if (created) return Registration::kCreated;
  if (created.error().code == ErrorCode::kConflict) return Registration::kAlreadyRegistered;
  return created.error();
}

Result<User> AccountService::create_user(const NewUser& input, Rol rol, const Actor& actor) {
  return create(input, rol, actor);
}

Result<User> AccountService::create(const NewUser& input, Rol rol, const std::optional<Actor>& actor) {
  if (auto ok = check_nombre(input.nombre); !ok) return ok.error();
  auto email = email_identity(input.email);
  if (!email) return email.error();
  if (auto ok = check_telefono(input.telefono); !ok) return ok.error();
  std::optional<std::string> birth;
  std::optional<CivilDate> birth_date;
  if (input.fecha_nacimiento) {
    auto date = check_birth_date(*input.fecha_nacimiento, clock_.now());
    if (!date) return date.error();
    birth = format_civil_date(*date);
    birth_date = *date;
  }
  std::optional<std::string> documento;
  if (input.documento_tipo || input.documento_numero) {
    if (!input.documento_tipo) return invalid_field("documento_tipo", "is required with documento_numero");
    if (!input.documento_numero) return invalid_field("documento_numero", "is required with documento_tipo");
    auto numero = check_player_document(*input.documento_tipo, *input.documento_numero, birth_date, clock_.now());
    if (!numero) return numero.error();
    documento = std::move(*numero);
  }
  if (const std::string why = passwords_.weakness(input.password); !why.empty()) {
    return invalid_field("password", why);
  }
  auto hashed = passwords_.hash(input.password);
  if (!hashed) return hashed.error();

  User user;
  user.id = ids_.next();
  user.nombre = input.nombre;
  user.email = std::move(email->normalized);
  user.email_skeleton = std::move(email->skeleton);
  user.telefono = input.telefono;
  user.hashed_password = std::move(*hashed);
  user.rol = rol;
  user.creado_en = clock_.now();
  user.is_active = true;
  user.fecha_nacimiento = birth;
  if (documento) {
    user.documento_tipo = input.documento_tipo;
    user.documento_numero = documento;
  }
  if (input.acepta_politica_datos) {
    user.consentimiento_version = data_policy_version_;
    user.consentimiento_en = user.creado_en;
  }

  std::optional<AuditEntry> audit;
  if (actor) {
    // Creating a privileged account is a role grant: audit it like a role change. The row names the
    // account by id only: the audit payload is hashed into the chain and can never be erased, so
    // it holds no personal data (rows written before issue 15 still carry the email).
    audit = AuditEntry{actor->user_id, "user.created", "users", user.id, {{"rol", to_string(rol)}}};
  }
  if (auto inserted = users_.insert(user, audit); !inserted) {
    if (inserted.error().code == ErrorCode::kConflict) return field_error(ErrorCode::kConflict, "email", kEmailTaken);
    return inserted.error();
  }
  return user;
}

bool AccountService::verify_or_dummy(const std::optional<User>& user, const std::string& password) {
  if (user) return passwords_.verify(user->hashed_password, password);
  // An unknown email still pays for a hash check, so the timing does not reveal which emails exist.
  std::call_once(dummy_once_, [this] {
    auto h = passwords_.hash("rifa1122-no-such-user-Password-1");
    if (h) dummy_hash_ = std::move(*h);
  });
  (void)passwords_.verify(dummy_hash_, password);
  return false;
}

Result<User> AccountService::login(const std::string& email, const std::string& password,
                                   const std::string& client_address) {
  // An address that does not normalise has no account; it is still throttled like any other.
  auto identity = email_identity(email);
  const std::string key = identity ? identity->normalized : ascii_lower(email);
  if (throttle_) {
    if (auto open = throttle_->check(key, client_address); !open) return open.error();
  }
  auto found = users_.find_by_email(key);
  if (!found) return found.error();
  // One message and one cost for every failure (unknown email, wrong password, inactive account).
  const bool password_ok = verify_or_dummy(*found, password);
  if (!password_ok || !(*found)->is_active) {
    if (throttle_) {
      if (auto counted = throttle_->record_failure(key, client_address); !counted) return counted.error();
    }
    return make_error(ErrorCode::kUnauthenticated, kBadCredentials);
  }
  if (throttle_) {
    if (auto reset = throttle_->record_success(key); !reset) return reset.error();
  }
  // The retention clock (datos_personales.retencion_inactivos_dias) counts from the last log-in.
  if (auto seen = users_.record_login((*found)->id, clock_.now()); !seen) return seen.error();
  return std::move(**found);
}

Result<void> AccountService::check_self_or_admin(const Actor& actor, const std::string& id) const {
  if (actor.is_admin() || actor.user_id == id) return {};
  return make_error(ErrorCode::kPermissionDenied, "you may only access your own account");
}

Result<User> AccountService::get(const Actor& actor, const std::string& id) {
  if (auto ok = check_self_or_admin(actor, id); !ok) return ok.error();
  auto found = users_.find_by_id(id);
  if (!found) return found.error();
  if (!*found) return make_error(ErrorCode::kNotFound, "user " + id + " does not exist");
  return std::move(**found);
}

Result<Page<User>> AccountService::list(const Actor& actor, const PageRequest& page) {
  if (!actor.is_admin()) return make_error(ErrorCode::kPermissionDenied, "listing users requires the admin role");
  return users_.list(page);
}

Result<User> AccountService::update(const Actor& actor, const std::string& id, const UserPatch& patch) {
  if (auto ok = check_self_or_admin(actor, id); !ok) return ok.error();
  if (!actor.is_admin() && patch.rol)
    return field_error(ErrorCode::kPermissionDenied, "rol", "only an admin may change roles");
  if (!actor.is_admin() && patch.is_active) {
    return field_error(ErrorCode::kPermissionDenied, "is_active", "only an admin may activate or deactivate accounts");
  }
  const bool own_account = actor.user_id == id;
  if (patch.current_password && !patch.password) {
    return invalid_field("current_password", "is only accepted together with password");
  }
  if (patch.password && own_account && !patch.current_password) {
    return invalid_field("current_password", "is required to change your own password");
  }
  if (patch.nombre) {
    if (auto ok = check_nombre(*patch.nombre); !ok) return ok.error();
  }
  if (patch.telefono) {
    if (auto ok = check_telefono(*patch.telefono); !ok) return ok.error();
  }
  if (patch.notificaciones) {
    if (auto ok = check_notificaciones(*patch.notificaciones); !ok) return ok.error();
  }
  if (patch.password) {
    if (const std::string why = passwords_.weakness(*patch.password); !why.empty()) {
      return invalid_field("password", why);
    }
  }
  std::optional<std::string> birth;
  std::optional<CivilDate> birth_date;
  if (patch.fecha_nacimiento) {
    auto date = check_birth_date(*patch.fecha_nacimiento, clock_.now());
    if (!date) return date.error();
    birth = format_civil_date(*date);
    birth_date = *date;
  }
  if ((patch.documento_tipo || patch.documento_numero) && !(patch.documento_tipo && patch.documento_numero)) {
    if (!patch.documento_tipo) return invalid_field("documento_tipo", "is required with documento_numero");
    return invalid_field("documento_numero", "is required with documento_tipo");
  }
  auto found = users_.find_by_id(id);
  if (!found) return found.error();
  if (!*found) return make_error(ErrorCode::kNotFound, "user " + id + " does not exist");
  const User& current = **found;
  std::optional<std::string> documento;
  if (patch.documento_tipo) {
    // A TI is judged on the birth date sent with it, else the one on file.
    if (!birth_date && current.fecha_nacimiento) birth_date = parse_civil_date(*current.fecha_nacimiento);
    auto numero = check_player_document(*patch.documento_tipo, *patch.documento_numero, birth_date, clock_.now());
    if (!numero) return numero.error();
    documento = std::move(*numero);
  }

  UserChanges changes;
  std::vector<AuditEntry> audit;
  if (birth && birth != current.fecha_nacimiento) {
    if (current.fecha_nacimiento) {
      if (!actor.is_admin()) {
        // 409, not 403: a 403 on fecha_nacimiento is the purchase's "add your birth date".
        return field_error(ErrorCode::kConflict, "fecha_nacimiento", "is already set; only an admin may correct it");
      }
      // The correction is audited; the dates are personal data and stay out of the hashed payload.
      audit.push_back({actor.user_id, "user.birth_date_corrected", "users", id, nlohmann::json::object()});
    }
    changes.fecha_nacimiento = birth;
  }
  if (documento && (documento != current.documento_numero || patch.documento_tipo != current.documento_tipo)) {
    if (current.documento_numero) {
      if (!actor.is_admin()) {
        return field_error(ErrorCode::kConflict, "documento_numero", "is already set; only an admin may correct it");
      }
      // Like the birth date: audited, the document itself kept out of the hashed payload.
      audit.push_back({actor.user_id, "user.document_corrected", "users", id, nlohmann::json::object()});
    }
    changes.documento_tipo = patch.documento_tipo;
    changes.documento_numero = documento;
  }
  changes.nombre = patch.nombre;
  changes.telefono = patch.telefono;
  if (patch.password) {
    if (own_account) {
      // Guessing the current password through this endpoint is throttled like log-in guesses.
      if (throttle_) {
        if (auto open = throttle_->check(current.email, ""); !open) return open.error();
      }
      if (!passwords_.verify(current.hashed_password, *patch.current_password)) {
        if (throttle_) {
          if (auto counted = throttle_->record_failure(current.email, ""); !counted) return counted.error();
        }
        return field_error(ErrorCode::kPermissionDenied, "current_password", "does not match the account's password");
      }
    } else {
      audit.push_back({actor.user_id, "user.password_reset", "users", id, nlohmann::json::object()});
    }
    auto hashed = passwords_.hash(*patch.password);
    if (!hashed) return hashed.error();
    changes.hashed_password = std::move(*hashed);
  }
  if (patch.rol && *patch.rol != current.rol) {
    audit.push_back({actor.user_id,
                     "user.role_changed",
                     "users",
                     id,
                     {{"from", to_string(current.rol)}, {"to", to_string(*patch.rol)}}});
    changes.rol = *patch.rol;
  }
  if (patch.is_active && *patch.is_active != current.is_active) {
    audit.push_back({actor.user_id, *patch.is_active ? "user.reactivated" : "user.deactivated", "users", id,
                     nlohmann::json::object()});
    changes.is_active = *patch.is_active;
  }
  if (patch.notificaciones) {
    std::map<std::string, bool> merged = current.notificaciones;
    for (const auto& [channel, on] : *patch.notificaciones) merged[channel] = on;
    if (merged.size() > kMaxNotificationChannels) {
      return invalid_field("notificaciones", "at most " + std::to_string(kMaxNotificationChannels) + " channels");
    }
    changes.notificaciones = std::move(merged);
  }
  // Tokens carry no password, role or status of their own worth trusting after these change.
  if (changes.hashed_password || changes.rol || changes.is_active)
    changes.revoke_tokens_at_s = unix_seconds(clock_.now());
  return users_.update(id, changes, audit);
}

Result<void> AccountService::deactivate(const Actor& actor, const std::string& id) {
  if (!actor.is_admin()) return make_error(ErrorCode::kPermissionDenied, "deleting users requires the admin role");
  UserPatch patch;
  patch.is_active = false;
  auto updated = update(actor, id, patch);
  if (!updated) return updated.error();
  return {};
}

Result<std::optional<User>> AccountService::find(const std::string& id) { return users_.find_by_id(id); }

Result<int> AccountService::backfill_email_skeletons() {
  auto missing = users_.without_email_skeleton();
  if (!missing) return missing.error();
  int collisions = 0;
  for (const auto& [id, email] : *missing) {
    auto identity = email_identity(email);
    // A row written by hand with an address that does not normalise keeps no skeleton.
    if (!identity) continue;
    auto set = users_.set_email_skeleton(id, identity->skeleton);
    if (!set && set.error().code == ErrorCode::kConflict) {
      ++collisions;
      continue;
    }
    if (!set) return set.error();
  }
  return collisions;
}

}  // namespace rifa::engine
