#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"
#include "engine/clock.hpp"

namespace rifa::engine {

// API timestamps: "YYYY-MM-DD" (midnight UTC) or "YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM|-HH:MM)".
// kInvalidArgument naming `field` otherwise (month 13, Feb 30 and the like included).
Result<TimePoint> parse_iso_time(std::string_view text, std::string_view field);
// "2025-03-01T18:30:00.000Z": what the API answers with.
std::string format_iso_time(TimePoint t);

}  // namespace rifa::engine
