#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"

namespace rifa::engine {

// What identifies an account's email.
struct EmailIdentity {
  // NFKC + Unicode case fold (ICU's NFKC_Casefold): fullwidth letters, compatibility forms, case
  // and invisible default-ignorable characters no longer make two spellings of one address differ.
  std::string normalized;
  // The UTS #39 confusable skeleton of `normalized`: equal for addresses that merely look alike
  // (Cyrillic 'а' for Latin 'a', 'rn' for 'm'); stored under a unique index so a look-alike of an
  // existing account cannot be registered.
  std::string skeleton;
};

// invalid_field("email", ...) when the normalised text is not an email address (is_valid_email).
Result<EmailIdentity> email_identity(std::string_view email);

}  // namespace rifa::engine
