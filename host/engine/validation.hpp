#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"

namespace rifa::engine {

// Validation errors name the offending field: Error::field carries it (the problem+json `field`),
// and the message reads "<field>: <what is wrong>" (make_field_error).
Error invalid_field(std::string_view field, std::string_view message);
// The same for other codes (a locked field is kConflict, a role change kPermissionDenied).
Error field_error(ErrorCode code, std::string_view field, std::string_view message);
// The field an error is about (Error::field), or empty.
std::string field_of(const Error& error);

// Characters (code points) in UTF-8 text: column limits count characters on both backends.
size_t utf8_length(std::string_view text);

// Lower-cases ASCII; emails are compared case-insensitively (the unique index is on lower(email)).
std::string ascii_lower(std::string_view text);
// A pragmatic address check: one '@', non-empty local part, a dotted domain, no spaces or control
// characters, at most 255 bytes. Deliverability is the mail server's business.
bool is_valid_email(std::string_view email);

}  // namespace rifa::engine
