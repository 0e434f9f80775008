#include "common/result.hpp"

namespace rifa {

const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInternal: return "internal";
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kUnauthenticated: return "unauthenticated";
    case ErrorCode::kPermissionDenied: return "permission_denied";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kConfigInvalid: return "config_invalid";
    case ErrorCode::kPluginLoad: return "plugin_load";
    case ErrorCode::kDatabase: return "database";
    case ErrorCode::kMigration: return "migration";
    case ErrorCode::kNotPublished: return "not_published";
    case ErrorCode::kParse: return "parse";
    case ErrorCode::kValidation: return "validation";
    case ErrorCode::kPaymentDeclined: return "payment_declined";
    case ErrorCode::kSignature: return "signature";
    case ErrorCode::kTimeout: return "timeout";
    case ErrorCode::kNotRecorded: return "not_recorded";
    case ErrorCode::kUnsupported: return "unsupported";
    case ErrorCode::kRateLimited: return "rate_limited";
  }
  return "unknown";
}

}  // namespace rifa
