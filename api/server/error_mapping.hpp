#pragma once

#include <span>
#include <string>

#include "common/result.hpp"
#include "server/http_types.hpp"

namespace rifa::api {

// Every problem the API answers with (application/problem+json, RFC 9457). Domain and
// infrastructure failures arrive as an ErrorCode and map onto one of these; the HTTP layer's own
// refusals (no route, wrong method, body too large, rate limited, CORS) use them directly.
enum class ProblemType {
  kValidation,
  kMalformedJson,
  kBadRequest,
  kUnauthenticated,
  kForbidden,
  kNotFound,
  kMethodNotAllowed,
  kConflict,
  kPaymentDeclined,
  kInvalidSignature,
  kPayloadTooLarge,
  kRateLimited,
  kCorsRejected,
  kNotPublished,
  kInternal,
  kUnsupported,
  kUnavailable,
  kUpstreamTimeout,
  kUnsupportedMediaType,
  kWithholdingUnpaid,
  kSelfExcluded,
  kSpendingLimit,
  kBirthDateRequired,
};

// The `type` member is kProblemTypeBase + slug. Slugs are stable: clients branch on them.
inline constexpr const char* kProblemTypeBase = "https://rifa1122.dev/problems/";

// One row of the table: the HTTP status, the stable slug, the title, and what a caller should do.
// api/openapi/openapi.json documents the same slugs (tests/integration/api/openapi_test checks it).
struct ProblemKind {
  ProblemType id;
  int status;
  const char* type;  // the slug
  const char* title;
  const char* advice;
};

// The whole table, in ProblemType order.
std::span<const ProblemKind> problem_catalog();
const ProblemKind& problem_kind(ProblemType type);
// ErrorCode → problem, by the slug common/error_status.hpp's table gives the code (that table is
// the one place that decides the HTTP status of an engine error).
const ProblemKind& problem_kind(ErrorCode code);
// The same for an Error: a few 403s have a more specific type chosen by their field
// (common/error_status.hpp http_answer(const Error&)).
const ProblemKind& problem_kind(const Error& error);

// A problem response of this type. `field` names the offending request member, if any.
Response make_problem(ProblemType type, const std::string& detail, const std::string& field = "");

// An Error as an application/problem+json response. 5xx messages (but kUnavailable's) never leak:
// the caller gets the request id to quote instead. Error::field becomes `field`,
// Error::retry_after_s becomes Retry-After.
Response problem_from_error(const Error& error, const std::string& request_id);

}  // namespace rifa::api
