#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace rifa::plugins::mock {

// A calendar date as days since 1970-01-01 (proleptic Gregorian), so date arithmetic is integer.
struct CivilDate {
  int64_t days_since_epoch = 0;
};

// "YYYY-MM-DD" with a real month and day, or nullopt.
std::optional<CivilDate> parse_iso_date(const std::string& text);
std::string to_iso(CivilDate date);

// "HH:MM" (00:00..23:59) as minutes after midnight, or nullopt.
std::optional<int> parse_hh_mm(const std::string& text);

}  // namespace rifa::plugins::mock
