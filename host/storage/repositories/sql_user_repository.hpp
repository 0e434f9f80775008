#pragma once

#include "engine/clock.hpp"
#include "engine/user_repository.hpp"
#include "storage/database.hpp"

namespace rifa::storage {

// engine::UserRepository on the users table. The clock stamps audit rows.
class SqlUserRepository final : public engine::UserRepository {
 public:
  SqlUserRepository(Database& db, const engine::Clock& clock) : db_(db), clock_(clock) {}

  Result<void> insert(const engine::User& user, const std::optional<engine::AuditEntry>& audit) override;
  Result<std::optional<engine::User>> find_by_id(const std::string& id) override;
  Result<std::optional<engine::User>> find_by_email(const std::string& email) override;
  Result<engine::Page<engine::User>> list(const engine::PageRequest& page) override;
  Result<engine::User> update(const std::string& id, const engine::UserChanges& changes,
                              const std::vector<engine::AuditEntry>& audit) override;
  Result<std::vector<std::pair<std::string, std::string>>> without_email_skeleton() override;
  Result<void> set_email_skeleton(const std::string& id, const std::string& skeleton) override;
  Result<void> record_login(const std::string& id, engine::TimePoint at) override;

 private:
  Result<std::optional<engine::User>> find_where(const std::string& condition, const std::string& value);

  Database& db_;
  const engine::Clock& clock_;
};

}  // namespace rifa::storage
