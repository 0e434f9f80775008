#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "engine/actor.hpp"
#include "engine/clock.hpp"
#include "engine/id_generator.hpp"
#include "engine/login_throttle.hpp"
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
  // Adults only (issue 15): required at public sign-up, optional for accounts made by an admin or
  // the CLI (staff; a jugador made that way cannot buy until it has one).
  std::optional<std::string> fecha_nacimiento;  // YYYY-MM-DD
  std::optional<std::string> documento_tipo;    // CC, CE, PP (TI is refused: a minor's document)
  std::optional<std::string> documento_numero;
  // Habeas data: the sign-up accepts the data policy (Ley 1581 de 2012); refused without it.
  bool acepta_politica_datos = false;
};

// Absent members are left as they are. telefono: a present nullopt clears it.
struct UserPatch {
  std::optional<std::string> nombre;
  std::optional<std::optional<std::string>> telefono;
  std::optional<std::string> password;
  // Required with `password` when the caller changes their own password (admins included), so a
  // stolen token alone cannot take the account over. An admin setting another user's password (a
  // reset, audited as user.password_reset) does not know it and need not give it.
  std::optional<std::string> current_password;
  std::optional<Rol> rol;
  std::optional<bool> is_active;
  // Channels to turn on (true) or off (false); merged into the user's current preferences, the
  // channels not named keep theirs. Anyone who may patch the account may set them.
  std::optional<std::map<std::string, bool>> notificaciones;
  // YYYY-MM-DD. The player may set it once (accounts made before it was asked for); after that only
  // an admin corrects it, audited as user.birth_date_corrected (without the date itself).
  std::optional<std::string> fecha_nacimiento;
  // The identity document, both or neither, checked as at sign-up (player_rules.hpp's
  // check_document). The player may give it once (accounts made before sign-up asked for it); after
  // that only an admin corrects it, audited as user.document_corrected (without the document).
  std::optional<std::string> documento_tipo;
  std::optional<std::string> documento_numero;
};

// What a sign-up did. The public reply is the same for both, so it never tells which emails have
// accounts; the caller tells the address's owner by mail instead (through the notifier, later).
enum class Registration { kCreated, kAlreadyRegistered };

// Accounts: registration, log-in and the users resource with its access rules:
//  * admin may read, list, patch and deactivate anyone;
//  * anyone else may read and patch only their own account, and may not change rol or is_active.
// A non-admin asking about another id gets kPermissionDenied whether or not the id exists, so the
// answer never reveals which ids exist.
class AccountService {
 public:
  // `throttle` (not owned) throttles failed log-ins and current_password checks; nullptr only in
  // unit tests of the other rules.
  AccountService(UserRepository& users, const PasswordPolicy& passwords, const Clock& clock, IdGenerator& ids,
                 LoginThrottle* throttle = nullptr);

  // Public sign-up: always rol jugador. An email that is taken, or only looks like one that is
  // taken (same confusable skeleton), creates nothing and answers kAlreadyRegistered after the
  // same work (the password is hashed either way), so neither the reply nor its timing differ.
  Result<Registration> register_user(const NewUser& input);
  // The CLI's `users create-admin` (and tests): any role, audited as actor.
  Result<User> create_user(const NewUser& input, Rol rol, const Actor& actor);
  // kUnauthenticated with one message for unknown email, wrong password and inactive account;
  // kRateLimited while the throttle blocks the email or `client_address` (may be empty).
  Result<User> login(const std::string& email, const std::string& password, const std::string& client_address = "");

  Result<User> get(const Actor& actor, const std::string& id);
  Result<Page<User>> list(const Actor& actor, const PageRequest& page);
  // Writes only the members present in `patch`. A password, role or is_active change refuses
  // every token issued before it (User::tokens_valid_from_s).
  Result<User> update(const Actor& actor, const std::string& id, const UserPatch& patch);
  // Sets is_active = false: log-in fails from then on and tokens already issued stop working.
  Result<void> deactivate(const Actor& actor, const std::string& id);

  // For the authenticator: the user's current row (nullopt when the id is unknown).
  Result<std::optional<User>> find(const std::string& id);

  // Computes the email_skeleton of rows that lack one (written before migration 0009 or by
  // hand); answers how many could not get one because another account already has that skeleton.
  Result<int> backfill_email_skeletons();

  // The data policy version public sign-ups consent to (config datos_personales.politica_version).
  void set_data_policy_version(std::string version) { data_policy_version_ = std::move(version); }

 private:
  Result<User> create(const NewUser& input, Rol rol, const std::optional<Actor>& actor);
  bool verify_or_dummy(const std::optional<User>& user, const std::string& password);
  Result<void> check_self_or_admin(const Actor& actor, const std::string& id) const;

  UserRepository& users_;
  const PasswordPolicy& passwords_;
  const Clock& clock_;
  IdGenerator& ids_;
  LoginThrottle* throttle_;
  std::once_flag dummy_once_;
  std::string dummy_hash_;  // what an unknown email's password is checked against
  std::string data_policy_version_ = "1";
};

inline constexpr const char* kBadCredentials = "invalid email or password";

}  // namespace rifa::engine
