#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace rifa::storage {

using TimePoint = std::chrono::system_clock::time_point;

// The one text form the app writes timestamps in (engine::format_iso_time, which this calls): ISO-8601 UTC with milliseconds,
// "2025-03-01T18:30:00.000Z". Fixed width, so on SQLite (TEXT columns) text order is time order,
// and SQLite's own default strftime('%Y-%m-%dT%H:%M:%fZ','now') produces the same form.
std::string format_timestamp(TimePoint t);

// Reads what either backend gives back: the form above (SQLite) and PostgreSQL's TIMESTAMPTZ text
// "2025-03-01 18:30:00.123456+00" (sessions run in UTC; other offsets are applied too). Fractions
// beyond milliseconds are truncated. kInvalidArgument when it is neither.
Result<TimePoint> parse_timestamp(std::string_view text);

}  // namespace rifa::storage
