#pragma once

#include <optional>
#include <string>

#include "common/result.hpp"
#include "engine/audit_entry.hpp"
#include "engine/page.hpp"
#include "engine/user.hpp"

namespace rifa::engine {

// Persistence of users. Implementations translate storage failures into kDatabase and a duplicate
// email (case-insensitive) into kConflict; they never throw for those.
class UserRepository {
 public:
  virtual ~UserRepository() = default;
  virtual Result<void> insert(const User& user, const std::optional<AuditEntry>& audit) = 0;
  virtual Result<std::optional<User>> find_by_id(const std::string& id) = 0;
  // `email` compared case-insensitively.
  virtual Result<std::optional<User>> find_by_email(const std::string& email) = 0;
  // Ordered by creado_en, then id, so pages are stable.
  virtual Result<Page<User>> list(const PageRequest& page) = 0;
  // Replaces every mutable column (nombre, telefono, hashed_password, rol, is_active); the audit
  // entries are written in the same transaction.
  virtual Result<void> update(const User& user, const std::vector<AuditEntry>& audit) = 0;
};

}  // namespace rifa::engine
