#include "server/error_mapping.hpp"

#include <array>
#include <string_view>

#include "common/error_status.hpp"

namespace rifa::api {
namespace {

using P = ProblemType;

// In ProblemType order (problem_kind(ProblemType) indexes it; a static_assert below keeps the size).
constexpr std::array<ProblemKind, 23> kCatalog = {{
    {P::kValidation, 422, "validation", "Invalid request",
     "a member or parameter is missing, of the wrong type or out of range; `field` names it: fix it and resend"},
    {P::kMalformedJson, 400, "malformed-json", "Malformed JSON", "the body is not valid UTF-8 JSON: fix the syntax"},
    {P::kBadRequest, 400, "bad-request", "Bad request", "the HTTP message itself is malformed"},
    {P::kUnauthenticated, 401, "unauthenticated", "Authentication required",
     "send a valid, unexpired `Authorization: Bearer <token>` (POST /api/v1/auth/login)"},
    {P::kForbidden, 403, "forbidden", "Forbidden", "your role or ownership does not allow this; do not retry"},
    {P::kNotFound, 404, "not-found", "Not found", "no such resource or route"},
    {P::kMethodNotAllowed, 405, "method-not-allowed", "Method not allowed", "use one of the methods in `Allow`"},
    {P::kConflict, 409, "conflict", "Conflict",
     "the current state forbids it (sold out, rifa not activa, idempotency key in flight, duplicate): read the "
     "state again before retrying"},
    {P::kPaymentDeclined, 402, "payment-declined", "Payment declined",
     "the payment provider declined; `detail` carries its reason; nothing was charged"},
    {P::kInvalidSignature, 400, "invalid-signature", "Invalid signature",
     "a webhook signature is missing, forged or stale; nothing was changed"},
    {P::kPayloadTooLarge, 413, "payload-too-large", "Payload too large",
     "the body exceeds server.body_limit_bytes; the connection is closed"},
    {P::kRateLimited, 429, "rate-limited", "Too many requests",
     "this address or user exceeded its rate limit: wait `Retry-After` seconds"},
    {P::kCorsRejected, 403, "cors-rejected", "Origin not allowed",
     "the Origin of this preflight is not in server.cors_allowed_origins"},
    {P::kNotPublished, 409, "not-published", "Draw not published yet", "the lottery has not published it: ask later"},
    {P::kInternal, 500, "internal", "Internal error",
     "a server fault; quote the request id (X-Request-Id) when reporting it"},
    {P::kUnsupported, 501, "unsupported", "Not supported", "the configured plugin does not implement this operation"},
    {P::kUnavailable, 503, "unavailable", "Service unavailable", "a dependency is down: retry later"},
    {P::kUpstreamTimeout, 504, "upstream-timeout", "Upstream timeout", "an outside service timed out: retry later"},
    {P::kUnsupportedMediaType, 415, "unsupported-media-type", "Unsupported media type",
     "send the body as JSON with `Content-Type: application/json`"},
    {P::kWithholdingUnpaid, 409, "withholding-unpaid", "Withholding on the prize not paid",
     "the winner of a prize in kind owes the retención en la fuente on its commercial value: record it paid "
     "(POST /api/v1/ganadores/{id}/retencion) before delivering"},
    {P::kSelfExcluded, 403, "autoexcluido", "Self-excluded",
     "the player excluded themself from playing; no sale until the exclusion ends (`detail` says when)"},
    {P::kSpendingLimit, 403, "limite-de-gasto", "Spending limit reached",
     "the purchase would exceed one of the player's spending limits; `field` names it, `detail` says what remains"},
    {P::kBirthDateRequired, 403, "fecha-nacimiento-requerida", "Birth date required",
     "adults only: add fecha_nacimiento to the account (PATCH /api/v1/users/{id}) before buying"},
}};

constexpr bool catalog_in_order() {
  for (size_t i = 0; i < kCatalog.size(); ++i) {
    if (static_cast<size_t>(kCatalog[i].id) != i) return false;
  }
  return true;
}
static_assert(catalog_in_order(), "kCatalog rows must follow the ProblemType order");
static_assert(kCatalog.size() == static_cast<size_t>(P::kBirthDateRequired) + 1, "a ProblemType has no row");

// The ErrorCode table (common/error_status.hpp) names slugs of this catalog with their statuses.
constexpr bool answers_agree() {
  for (ErrorCode code : kAllErrorCodes) {
    const HttpAnswer answer = http_answer(code);
    bool found = false;
    for (const ProblemKind& kind : kCatalog) {
      if (std::string_view(kind.type) == answer.problem) found = kind.status == answer.status;
    }
    if (!found) return false;
  }
  return true;
}
static_assert(answers_agree(), "common/error_status.hpp names a slug missing from kCatalog or with another status");

}  // namespace

std::span<const ProblemKind> problem_catalog() { return kCatalog; }

const ProblemKind& problem_kind(ProblemType type) { return kCatalog[static_cast<size_t>(type)]; }

const ProblemKind& problem_kind(ErrorCode code) {
  const std::string_view slug = http_answer(code).problem;
  for (const ProblemKind& kind : kCatalog) {
    if (slug == kind.type) return kind;
  }
  return problem_kind(P::kInternal);  // unreachable: answers_agree() below
}

const ProblemKind& problem_kind(const Error& error) {
  const std::string_view slug = http_answer(error).problem;
  for (const ProblemKind& kind : kCatalog) {
    if (slug == kind.type) return kind;
  }
  return problem_kind(error.code);
}

Response make_problem(ProblemType type, const std::string& detail, const std::string& field) {
  const ProblemKind& kind = problem_kind(type);
  return problem(kind.status, kind.type, kind.title, detail, field);
}

Response problem_from_error(const Error& error, const std::string& request_id) {
  const ProblemKind& kind = problem_kind(error);
  const std::string detail = kind.status >= 500 && error.code != ErrorCode::kUnavailable
                                 ? "the server failed to handle this request; quote request id " + request_id
                                 : error.message;
  Response response = make_problem(kind.id, detail, error.field);
  if (error.retry_after_s > 0) response.headers.emplace_back("Retry-After", std::to_string(error.retry_after_s));
  return response;
}

}  // namespace rifa::api
