#pragma once

#include "auth/password_hasher.hpp"
#include "engine/password_policy.hpp"

namespace rifa::api {

// engine::PasswordPolicy on api::PasswordHasher (argon2id) and password_weakness().
class HasherPasswordPolicy final : public engine::PasswordPolicy {
 public:
  explicit HasherPasswordPolicy(PasswordHasher::Cost cost) : hasher_(cost) {}
  std::string weakness(const std::string& password) const override { return password_weakness(password); }
  Result<std::string> hash(const std::string& password) const override { return hasher_.hash(password); }
  bool verify(const std::string& encoded, const std::string& password) const override {
    return hasher_.verify(encoded, password);
  }

 private:
  PasswordHasher hasher_;
};

}  // namespace rifa::api
