#pragma once

#include <initializer_list>
#include <string>

#include "auth/jwt.hpp"
#include "common/result.hpp"
#include "engine/account_service.hpp"
#include "engine/actor.hpp"
#include "engine/clock.hpp"
#include "server/client_rate_limits.hpp"
#include "server/http_types.hpp"

namespace rifa::api {

// The caller of a request, as established by the Authenticator.
struct Principal {
  std::string user_id;
  std::string email;
  engine::Rol rol = engine::Rol::kJugador;

  engine::Actor actor() const { return engine::Actor{user_id, rol}; }
};

// Bearer JWT → Principal. Every failure is kUnauthenticated (401): no or malformed Authorization
// header, a token that is malformed, expired, tampered with or not HS256 (alg none included), and
// a token of a user that no longer exists or is deactivated. The user's row is read on every
// request, so deactivation takes effect at once and the role used is the current one, not the one
// frozen in the token (a demoted admin loses admin rights immediately). A token issued (iat)
// before the account's last password, role or status change (User::tokens_valid_from_s) is
// refused too, so a reactivated account does not revive the tokens of before its deactivation.
class Authenticator {
 public:
  // `rate_limits` (not owned; nullptr = none) applies the per-user limit: checked once the token
  // is verified and before the user's row is read, so forged tokens never create buckets and a
  // throttled user costs no database work. Over the limit: kRateLimited with retry_after_s (429).
  Authenticator(const JwtCodec& jwt, const engine::Clock& clock, engine::AccountService& accounts,
                ClientRateLimits* rate_limits = nullptr)
      : jwt_(jwt), clock_(clock), accounts_(accounts), rate_limits_(rate_limits) {}

  Result<Principal> authenticate(const Request& request) const;

 private:
  const JwtCodec& jwt_;
  const engine::Clock& clock_;
  engine::AccountService& accounts_;
  ClientRateLimits* rate_limits_;
};

// kPermissionDenied (403) unless the principal holds one of `roles`.
Result<void> require_role(const Principal& principal, std::initializer_list<engine::Rol> roles);

}  // namespace rifa::api
