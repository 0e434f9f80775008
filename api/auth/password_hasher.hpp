#pragma once

#include <string>

#include "common/result.hpp"

namespace rifa::api {

// argon2id through libsodium's crypto_pwhash (the encoded string carries salt and parameters,
// so parameters can be raised later without invalidating stored hashes).
class PasswordHasher {
 public:
  enum class Cost { kInteractive, kMinimal };  // kMinimal only for tests and benchmarks
  explicit PasswordHasher(Cost cost = Cost::kInteractive);
  Result<std::string> hash(const std::string& password) const;
  bool verify(const std::string& encoded, const std::string& password) const;

 private:
  unsigned long long ops_limit_;
  size_t mem_limit_;
};

// Why a password is too weak, or empty when it is acceptable: at least 10 characters, at most
// 128, and at least three of lower case, upper case, digits and symbols.
std::string password_weakness(const std::string& password);

}  // namespace rifa::api
