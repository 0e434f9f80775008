#pragma once

#include <array>
#include <string_view>

#include "common/result.hpp"

namespace rifa {

// How an ErrorCode answers over HTTP: its status and the problem+json type slug (the catalog in
// api/server/error_mapping.cpp holds the title and advice of each slug). The one table: the API
// answers with it, and the engine stores idempotent refusals with the same status (it cannot see
// api/). error_mapping.cpp checks at compile time that every slug is in its catalog with this status.
struct HttpAnswer {
  int status;
  const char* problem;
};

constexpr HttpAnswer http_answer(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return {422, "validation"};
    case ErrorCode::kNotFound: return {404, "not-found"};
    case ErrorCode::kConflict: return {409, "conflict"};
    case ErrorCode::kUnauthenticated: return {401, "unauthenticated"};
    case ErrorCode::kPermissionDenied: return {403, "forbidden"};
    case ErrorCode::kUnavailable: return {503, "unavailable"};
    case ErrorCode::kPaymentDeclined: return {402, "payment-declined"};
    case ErrorCode::kSignature: return {400, "invalid-signature"};
    case ErrorCode::kTimeout: return {504, "upstream-timeout"};
    case ErrorCode::kNotPublished: return {409, "not-published"};
    case ErrorCode::kUnsupported: return {501, "unsupported"};
    case ErrorCode::kRateLimited: return {429, "rate-limited"};
    // Failures of the host itself: the caller cannot fix them, so they are all "internal".
    case ErrorCode::kConfigInvalid:
    case ErrorCode::kPluginLoad:
    case ErrorCode::kDatabase:
    case ErrorCode::kMigration:
    case ErrorCode::kParse:
    case ErrorCode::kValidation:
    case ErrorCode::kNotRecorded:
    case ErrorCode::kInternal: return {500, "internal"};
  }
  return {500, "internal"};
}

constexpr int http_status(ErrorCode code) { return http_answer(code).status; }

// Refusals of a sale by the player's own protections (issue 15) are kPermissionDenied (403) with a
// problem type of their own, told apart by the member they are about (Error::field):
//  * kSelfExcludedField: the player excluded themself           → "autoexcluido";
//  * kSpendingLimitFieldPrefix + diario|semanal|mensual          → "limite-de-gasto";
//  * kBirthDateRequiredField: no birth date on the account yet   → "fecha-nacimiento-requerida".
// Only the purchase makes errors with these fields and this code.
inline constexpr std::string_view kSelfExcludedField = "autoexclusion";
inline constexpr std::string_view kSpendingLimitFieldPrefix = "limites.";
inline constexpr std::string_view kBirthDateRequiredField = "fecha_nacimiento";

inline HttpAnswer http_answer(const Error& error) {
  if (error.code == ErrorCode::kPermissionDenied) {
    const std::string_view field = error.field;
    if (field == kSelfExcludedField) return {403, "autoexcluido"};
    if (field.starts_with(kSpendingLimitFieldPrefix)) return {403, "limite-de-gasto"};
    if (field == kBirthDateRequiredField) return {403, "fecha-nacimiento-requerida"};
  }
  return http_answer(error.code);
}

// Every ErrorCode, for checks that walk the table.
inline constexpr std::array<ErrorCode, 20> kAllErrorCodes = {
    ErrorCode::kInternal,        ErrorCode::kInvalidArgument,  ErrorCode::kNotFound,        ErrorCode::kConflict,
    ErrorCode::kUnauthenticated, ErrorCode::kPermissionDenied, ErrorCode::kUnavailable,     ErrorCode::kConfigInvalid,
    ErrorCode::kPluginLoad,      ErrorCode::kDatabase,         ErrorCode::kMigration,       ErrorCode::kNotPublished,
    ErrorCode::kParse,           ErrorCode::kValidation,       ErrorCode::kPaymentDeclined, ErrorCode::kSignature,
    ErrorCode::kTimeout,         ErrorCode::kNotRecorded,      ErrorCode::kUnsupported,     ErrorCode::kRateLimited,
};
static_assert(static_cast<int>(kAllErrorCodes.back()) == static_cast<int>(kAllErrorCodes.size()),
              "a new ErrorCode goes into kAllErrorCodes and http_answer");

}  // namespace rifa
