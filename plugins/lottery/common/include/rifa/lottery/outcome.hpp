#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "rifa/lottery/draw_result.hpp"

namespace rifa::lottery {

/// What reading one page can give. Anything but kOk carries a message naming the reason.
enum class OutcomeKind {
  kOk = 1,
  kNotPublished = 2,     ///< the draw is not on the page yet: ask again later
  kParseError = 3,       ///< the page could not be understood (layout changed): never guess
  kValidationError = 4,  ///< a result was read but must not be used (wrong date, out of range…)
};

std::string_view to_string(OutcomeKind kind);

/// Ok(DrawResult) | NotPublished(reason) | ParseError(msg) | ValidationError(msg).
class [[nodiscard]] Outcome {
 public:
  static Outcome ok(DrawResult draw);
  static Outcome not_published(std::string reason);
  static Outcome parse_error(std::string message);
  static Outcome validation_error(std::string message);

  OutcomeKind kind() const { return kind_; }
  bool is_ok() const { return kind_ == OutcomeKind::kOk; }
  /// The draw; only meaningful when is_ok().
  const DrawResult& draw() const { return draw_; }
  /// The reason or error message; empty when is_ok().
  const std::string& message() const { return message_; }

 private:
  Outcome(OutcomeKind kind, DrawResult draw, std::string message)
      : kind_(kind), draw_(std::move(draw)), message_(std::move(message)) {}

  OutcomeKind kind_;
  DrawResult draw_;
  std::string message_;
};

}  // namespace rifa::lottery
