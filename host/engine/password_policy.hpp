#pragma once

#include <string>

#include "common/result.hpp"

namespace rifa::engine {

// Password hashing and strength rules, injected so the engine does not depend on libsodium or the
// API layer (the host adapts api::PasswordHasher; tests may use a cheaper cost).
class PasswordPolicy {
 public:
  virtual ~PasswordPolicy() = default;
  // Why `password` is too weak, or empty when acceptable.
  virtual std::string weakness(const std::string& password) const = 0;
  virtual Result<std::string> hash(const std::string& password) const = 0;
  virtual bool verify(const std::string& encoded, const std::string& password) const = 0;
};

}  // namespace rifa::engine
