#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace rifa::engine {

// The rake arrives as decimal text with up to 4 decimals ("0.25", "0.2500", "1": a JSON string, or
// the source text of a JSON number, never a double) and is kept as integer basis points, so it is
// exact end to end. kInvalidArgument (field "rake") for anything else, including exponents, signs,
// more decimals and values above 1.
Result<int32_t> parse_rake(std::string_view text);
// Basis points → "0.2500".
std::string format_rake(int32_t rake_bp);

}  // namespace rifa::engine
