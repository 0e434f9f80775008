#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "rifa/lottery/digits.hpp"

namespace rifa::lottery::baloto::detail {

// How one printed ball reads: a number (kept as 2 digits), a "not drawn yet" placeholder, or junk.
enum class BallKind { kNumber, kPlaceholder, kJunk };

struct Ball {
  BallKind kind;
  std::string digits;  // "08" when kNumber
};

// The official pages always print two digits ("08"): a single digit means a cut or damaged page,
// not ball 08, so it reads as junk.
inline Ball read_ball(std::string_view text) {
  const std::string clean = collapse_whitespace(text);
  if (looks_like_placeholder(clean)) return {BallKind::kPlaceholder, {}};
  if (!is_digit_string(clean, 2)) return {BallKind::kJunk, clean};
  return {BallKind::kNumber, clean};
}

// baloto.com prints the five balls in ascending order (every row of the saved official pages and
// all 1,212 scraped draws); balls out of order mean the markup was damaged and read wrongly.
inline std::string joined(const std::vector<std::string>& balls) {
  std::string out;
  for (const auto& ball : balls) out += (out.empty() ? "" : " ") + ball;
  return out;
}

}  // namespace rifa::lottery::baloto::detail
