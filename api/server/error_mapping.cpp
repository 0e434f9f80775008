#include "server/error_mapping.hpp"

namespace rifa::api {

ProblemKind problem_kind(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return {422, "validation", "Invalid request"};
    case ErrorCode::kNotFound: return {404, "not-found", "Not found"};
    case ErrorCode::kConflict: return {409, "conflict", "Conflict"};
    case ErrorCode::kUnauthenticated: return {401, "unauthenticated", "Authentication required"};
    case ErrorCode::kPermissionDenied: return {403, "forbidden", "Forbidden"};
    case ErrorCode::kUnavailable: return {503, "unavailable", "Service unavailable"};
    case ErrorCode::kPaymentDeclined: return {402, "payment-declined", "Payment declined"};
    case ErrorCode::kSignature: return {400, "invalid-signature", "Invalid signature"};
    case ErrorCode::kTimeout: return {504, "upstream-timeout", "Upstream timeout"};
    case ErrorCode::kNotPublished: return {409, "not-published", "Draw not published yet"};
    case ErrorCode::kUnsupported: return {501, "unsupported", "Not supported"};
    case ErrorCode::kConfigInvalid:
    case ErrorCode::kPluginLoad:
    case ErrorCode::kDatabase:
    case ErrorCode::kMigration:
    case ErrorCode::kParse:
    case ErrorCode::kValidation:
    case ErrorCode::kNotRecorded:
    case ErrorCode::kInternal: return {500, "internal", "Internal error"};
  }
  return {500, "internal", "Internal error"};
}

Response problem_from_error(const Error& error, const std::string& request_id, const std::string& field) {
  const ProblemKind kind = problem_kind(error.code);
  const std::string detail = kind.status >= 500 && error.code != ErrorCode::kUnavailable
                                 ? "the server failed to handle this request; quote request id " + request_id
                                 : error.message;
  return problem(kind.status, kind.type, kind.title, detail, field);
}

}  // namespace rifa::api
