#include "rifa/lottery/outcome.hpp"

namespace rifa::lottery {

std::string_view to_string(OutcomeKind kind) {
  switch (kind) {
    case OutcomeKind::kOk: return "ok";
    case OutcomeKind::kNotPublished: return "not_published";
    case OutcomeKind::kParseError: return "parse_error";
    case OutcomeKind::kValidationError: return "validation_error";
  }
  return "unknown";
}

Outcome Outcome::ok(DrawResult draw) { return Outcome(OutcomeKind::kOk, std::move(draw), {}); }
Outcome Outcome::not_published(std::string reason) {
  return Outcome(OutcomeKind::kNotPublished, {}, std::move(reason));
}
Outcome Outcome::parse_error(std::string message) { return Outcome(OutcomeKind::kParseError, {}, std::move(message)); }
Outcome Outcome::validation_error(std::string message) {
  return Outcome(OutcomeKind::kValidationError, {}, std::move(message));
}

}  // namespace rifa::lottery
