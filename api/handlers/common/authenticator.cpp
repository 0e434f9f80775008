#include "handlers/common/authenticator.hpp"

#include <chrono>

#include "engine/validation.hpp"

namespace rifa::api {

Result<Principal> Authenticator::authenticate(const Request& request) const {
  const std::string header = request.header("authorization");
  if (header.empty()) return make_error(ErrorCode::kUnauthenticated, "missing Authorization: Bearer token");
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size() || engine::ascii_lower(header.substr(0, kScheme.size())) != kScheme) {
    return make_error(ErrorCode::kUnauthenticated, "the Authorization header must be 'Bearer <token>'");
  }
  const std::string token = header.substr(kScheme.size());
  const int64_t now_s = std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch()).count();
  auto claims = jwt_.verify(token, now_s);
  if (!claims) return claims.error();
  if (rate_limits_) {
    if (auto decision = rate_limits_->check_user(claims->user_id); !decision.allowed) {
      Error limited = make_error(ErrorCode::kRateLimited, "too many requests for this user; retry in " +
                                                              std::to_string(decision.retry_after_s) + " s");
      limited.retry_after_s = decision.retry_after_s;
      return limited;
    }
  }
  auto user = accounts_.find(claims->user_id);
  if (!user) return user.error();
  if (!*user || !(*user)->is_active) {
    return make_error(ErrorCode::kUnauthenticated, "the token's account is deactivated or no longer exists");
  }
  if (claims->iat < (*user)->tokens_valid_from_s) {
    return make_error(ErrorCode::kUnauthenticated,
                      "the token was issued before the account's password, role or status changed: log in again");
  }
  return Principal{(*user)->id, (*user)->email, (*user)->rol};
}

Result<void> require_role(const Principal& principal, std::initializer_list<engine::Rol> roles) {
  for (auto r : roles) {
    if (principal.rol == r) return {};
  }
  std::string names;
  for (auto r : roles) names += (names.empty() ? "" : " or ") + std::string(engine::to_string(r));
  return make_error(ErrorCode::kPermissionDenied, "this action requires the " + names + " role");
}

}  // namespace rifa::api
