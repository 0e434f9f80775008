#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.hpp"
#include "engine/audit_entry.hpp"
#include "engine/page.hpp"
#include "engine/user.hpp"

namespace rifa::engine {

// The columns one update writes; absent members are not written, so a concurrent update of
// other columns (an admin's deactivation or demotion) is never undone by a stale copy.
struct UserChanges {
  std::optional<std::string> nombre;
  std::optional<std::optional<std::string>> telefono;  // a present nullopt clears it
  std::optional<std::string> hashed_password;
  std::optional<Rol> rol;
  std::optional<bool> is_active;
  // The whole preference map after the change (the service merges the patch into the current one).
  std::optional<std::map<std::string, bool>> notificaciones;
  // When set to now (Unix seconds): tokens_valid_from_s becomes max(its value + 1, now + 1),
  // atomically, so every token issued so far is refused even when two changes share a second.
  std::optional<int64_t> revoke_tokens_at_s;
  std::optional<std::string> fecha_nacimiento;  // YYYY-MM-DD
  std::optional<std::string> documento_tipo;    // set together with documento_numero
  std::optional<std::string> documento_numero;
};

// Persistence of users. Implementations translate storage failures into kDatabase and a duplicate
// email (case-insensitive) or confusable skeleton into kConflict; they never throw for those.
class UserRepository {
 public:
  virtual ~UserRepository() = default;
  // Conflict when the email or the email_skeleton is taken.
  virtual Result<void> insert(const User& user, const std::optional<AuditEntry>& audit) = 0;
  virtual Result<std::optional<User>> find_by_id(const std::string& id) = 0;
  // `email` compared case-insensitively.
  virtual Result<std::optional<User>> find_by_email(const std::string& email) = 0;
  // Ordered by creado_en, then id, so pages are stable.
  virtual Result<Page<User>> list(const PageRequest& page) = 0;
  // Writes only the present members of `changes`, and the audit entries, in one transaction;
  // answers the row as it is after the write. kNotFound for an unknown id.
  virtual Result<User> update(const std::string& id, const UserChanges& changes,
                              const std::vector<AuditEntry>& audit) = 0;
  // Rows whose email_skeleton is not computed yet (written before it existed, or by hand): id, email.
  virtual Result<std::vector<std::pair<std::string, std::string>>> without_email_skeleton() = 0;
  // kConflict when another account already has this skeleton.
  virtual Result<void> set_email_skeleton(const std::string& id, const std::string& skeleton) = 0;
  // A successful log-in (users.ultima_actividad: the retention of personal data counts from it).
  virtual Result<void> record_login(const std::string& /*id*/, TimePoint /*at*/) { return {}; }
};

}  // namespace rifa::engine
