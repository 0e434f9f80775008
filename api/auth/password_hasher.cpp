#include "auth/password_hasher.hpp"

#include <sodium.h>

#include <cctype>
#include <stdexcept>

namespace rifa::api {

PasswordHasher::PasswordHasher(Cost cost) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  if (cost == Cost::kMinimal) {
    ops_limit_ = crypto_pwhash_OPSLIMIT_MIN;
    mem_limit_ = crypto_pwhash_MEMLIMIT_MIN;
  } else {
    ops_limit_ = crypto_pwhash_OPSLIMIT_INTERACTIVE;
    mem_limit_ = crypto_pwhash_MEMLIMIT_INTERACTIVE;
  }
}

Result<std::string> PasswordHasher::hash(const std::string& password) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops_limit_, mem_limit_,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return make_error(ErrorCode::kInternal, "password hashing ran out of memory");
  }
  return std::string(out);
}

bool PasswordHasher::verify(const std::string& encoded, const std::string& password) const {
  if (encoded.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(encoded.c_str(), password.data(), password.size()) == 0;
}

std::string password_weakness(const std::string& password) {
  if (password.size() < 10) return "must be at least 10 characters long";
  if (password.size() > 128) return "must be at most 128 characters long";
  int lower = 0, upper = 0, digit = 0, other = 0;
  for (unsigned char c : password) {
    if (std::islower(c)) lower = 1;
    else if (std::isupper(c)) upper = 1;
    else if (std::isdigit(c)) digit = 1;
    else other = 1;
  }
  if (lower + upper + digit + other < 3) {
    return "must mix at least three of: lower case, upper case, digits, symbols";
  }
  return "";
}

}  // namespace rifa::api
