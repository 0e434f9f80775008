#pragma once

#include <mutex>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "engine/actor.hpp"
#include "engine/clock.hpp"
#include "engine/id_generator.hpp"
#include "engine/page.hpp"
#include "engine/password_policy.hpp"
#include "engine/user.hpp"
#include "engine/user_repository.hpp"

namespace rifa::engine {

struct NewUser {
  std::string nombre;
  std::string email;
  std::string password;
  std::optional<std::string> telefono;
};

// Absent members are left as they are. telefono: a present nullopt clears it.
struct UserPatch {
  std::optional<std::string> nombre;
  std::optional<std::optional<std::string>> telefono;
  std::optional<std::string> password;
  std::optional<Rol> rol;
  std::optional<bool> is_active;
};

// Accounts: registration, log-in and the users resource with its access rules:
//  * admin may read, list, patch and deactivate anyone;
//  * anyone else may read and patch only their own account, and may not change rol or is_active.
// A non-admin asking about another id gets kPermissionDenied whether or not the id exists, so the
// answer never reveals which ids exist.
class AccountService {
 public:
  AccountService(UserRepository& users, const PasswordPolicy& passwords, const Clock& clock, IdGenerator& ids);

  // Public sign-up: always rol jugador.
  Result<User> register_user(const NewUser& input);
  // The CLI's `users create-admin` (and tests): any role, audited as actor.
  Result<User> create_user(const NewUser& input, Rol rol, const Actor& actor);
  // kUnauthenticated with one message for unknown email, wrong password and inactive account.
  Result<User> login(const std::string& email, const std::string& password);

  Result<User> get(const Actor& actor, const std::string& id);
  Result<Page<User>> list(const Actor& actor, const PageRequest& page);
  Result<User> update(const Actor& actor, const std::string& id, const UserPatch& patch);
  // Sets is_active = false: log-in fails from then on and tokens already issued stop working.
  Result<void> deactivate(const Actor& actor, const std::string& id);

  // For the authenticator: the user's current row (nullopt when the id is unknown).
  Result<std::optional<User>> find(const std::string& id);

 private:
  Result<User> create(const NewUser& input, Rol rol, const std::optional<Actor>& actor);
  Result<void> check_self_or_admin(const Actor& actor, const std::string& id) const;

  UserRepository& users_;
  const PasswordPolicy& passwords_;
  const Clock& clock_;
  IdGenerator& ids_;
  std::once_flag dummy_once_;
  std::string dummy_hash_;  // what an unknown email's password is checked against
};

inline constexpr const char* kBadCredentials = "invalid email or password";

}  // namespace rifa::engine
