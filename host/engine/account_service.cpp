#include "engine/account_service.hpp"

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

Result<void> check_telefono(const std::optional<std::string>& telefono) {
  if (telefono && utf8_length(*telefono) > kTelefonoMaxLength) {
    return invalid_field("telefono", "must be at most " + std::to_string(kTelefonoMaxLength) + " characters");
  }
  return {};
}

}  // namespace

AccountService::AccountService(UserRepository& users, const PasswordPolicy& passwords, const Clock& clock,
                               IdGenerator& ids)
    : users_(users), passwords_(passwords), clock_(clock), ids_(ids) {}

Result<User> AccountService::register_user(const NewUser& input) { return create(input, Rol::kJugador, std::nullopt); }

Result<User> AccountService::create_user(const NewUser& input, Rol rol, const Actor& actor) {
  return create(input, rol, actor);
}

Result<User> AccountService::create(const NewUser& input, Rol rol, const std::optional<Actor>& actor) {
  if (auto ok = check_nombre(input.nombre); !ok) return ok.error();
  if (!is_valid_email(input.email)) return invalid_field("email", "is not a valid email address");
  if (auto ok = check_telefono(input.telefono); !ok) return ok.error();
  if (const std::string why = passwords_.weakness(input.password); !why.empty()) {
    return invalid_field("password", why);
  }
  auto hashed = passwords_.hash(input.password);
  if (!hashed) return hashed.error();

  User user;
  user.id = ids_.next();
  user.nombre = input.nombre;
  user.email = ascii_lower(input.email);
  user.telefono = input.telefono;
  user.hashed_password = std::move(*hashed);
  user.rol = rol;
  user.creado_en = clock_.now();
  user.is_active = true;

  std::optional<AuditEntry> audit;
  if (actor) {
    // Creating a privileged account is a role grant: audit it like a role change.
    audit = AuditEntry{actor->user_id, "user.created", "users", user.id,
                       {{"email", user.email}, {"rol", to_string(rol)}}};
  }
  if (auto inserted = users_.insert(user, audit); !inserted) return inserted.error();
  return user;
}

Result<User> AccountService::login(const std::string& email, const std::string& password) {
  auto found = users_.find_by_email(ascii_lower(email));
  if (!found) return found.error();
  // One message and one cost for every failure: an unknown email still pays for a hash check, so
  // neither the answer nor its timing reveals which emails exist.
  if (!*found) {
    std::call_once(dummy_once_, [this] {
      auto h = passwords_.hash("rifa1122-no-such-user-Password-1");
      if (h) dummy_hash_ = std::move(*h);
    });
    (void)passwords_.verify(dummy_hash_, password);
    return make_error(ErrorCode::kUnauthenticated, kBadCredentials);
  }
  const User& user = **found;
  const bool password_ok = passwords_.verify(user.hashed_password, password);
  if (!password_ok || !user.is_active) return make_error(ErrorCode::kUnauthenticated, kBadCredentials);
  return user;
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
  if (!actor.is_admin() && patch.rol) return field_error(ErrorCode::kPermissionDenied, "rol", "only an admin may change roles");
  if (!actor.is_admin() && patch.is_active) {
    return field_error(ErrorCode::kPermissionDenied, "is_active", "only an admin may activate or deactivate accounts");
  }
  if (patch.nombre) {
    if (auto ok = check_nombre(*patch.nombre); !ok) return ok.error();
  }
  if (patch.telefono) {
    if (auto ok = check_telefono(*patch.telefono); !ok) return ok.error();
  }
  if (patch.password) {
    if (const std::string why = passwords_.weakness(*patch.password); !why.empty()) {
      return invalid_field("password", why);
    }
  }
  auto found = users_.find_by_id(id);
  if (!found) return found.error();
  if (!*found) return make_error(ErrorCode::kNotFound, "user " + id + " does not exist");
  User user = std::move(**found);

  std::vector<AuditEntry> audit;
  if (patch.nombre) user.nombre = *patch.nombre;
  if (patch.telefono) user.telefono = *patch.telefono;
  if (patch.password) {
    auto hashed = passwords_.hash(*patch.password);
    if (!hashed) return hashed.error();
    user.hashed_password = std::move(*hashed);
  }
  if (patch.rol && *patch.rol != user.rol) {
    audit.push_back({actor.user_id, "user.role_changed", "users", user.id,
                     {{"from", to_string(user.rol)}, {"to", to_string(*patch.rol)}}});
    user.rol = *patch.rol;
  }
  if (patch.is_active && *patch.is_active != user.is_active) {
    audit.push_back({actor.user_id, *patch.is_active ? "user.reactivated" : "user.deactivated", "users", user.id,
                     nlohmann::json::object()});
    user.is_active = *patch.is_active;
  }
  if (auto updated = users_.update(user, audit); !updated) return updated.error();
  return user;
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

}  // namespace rifa::engine
