#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "rifa/sdk/time.hpp"

namespace rifa::lottery {

// A calendar date in America/Bogota. Draw dates are always local dates. The date, weekday, Bogotá
// and holiday rules themselves are the SDK's (rifa/sdk/time.hpp); these are C++20 chrono views of them.
using Date = std::chrono::year_month_day;

inline sdk::CivilDate to_civil(const Date& date) {
  return sdk::CivilDate{static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                        static_cast<unsigned>(date.day())};
}

inline Date from_civil(const sdk::CivilDate& date) {
  return Date{std::chrono::year{date.year}, std::chrono::month{date.month}, std::chrono::day{date.day}};
}

/// "YYYY-MM-DD" → Date; nullopt unless the text is exactly that shape and a real date.
std::optional<Date> parse_iso_date(std::string_view text);

/// Date → "YYYY-MM-DD".
std::string format_iso(const Date& date);

/// Days since 1970-01-01 (handy for arithmetic and ordering).
inline std::chrono::sys_days to_days(const Date& date) { return std::chrono::sys_days{date}; }

inline Date add_days(const Date& date, int days) { return Date{to_days(date) + std::chrono::days{days}}; }

inline std::chrono::weekday weekday_of(const Date& date) { return std::chrono::weekday{to_days(date)}; }

/// Spanish weekday name in lower case ("lunes", "miércoles").
std::string_view spanish_weekday(std::chrono::weekday day);

}  // namespace rifa::lottery
