#pragma once
/// @file
/// Dates and times as a Colombian lottery plugin needs them, header-only, C++17, no tz database:
/// civil dates ("YYYY-MM-DD"), weekdays, America/Bogota instants (UTC−5 all year) and Colombia's
/// national holidays (fixed days, Ley Emiliani moves to Monday, Easter-based days).
///
///     const auto date = rifa::sdk::parse_iso_date(date_iso);               // std::optional<CivilDate>
///     if (weekday_of(*date) != rifa::sdk::Weekday::kThursday) ...
///     const int64_t drawn_ms = rifa::sdk::bogota_instant_ms(*date, 22 * 60 + 30);
///     if (host().now_unix_ms() < drawn_ms + 60 * 60000) return rifa::sdk::NotPublished{"..."};
///     if (rifa::sdk::is_colombian_holiday(*date)) ...
///
/// Take "now" from host().now_unix_ms(), never from the system clock: the host freezes it in
/// replays and in the conformance kit (sdk/README.md).

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

namespace rifa::sdk {

/// A calendar date (proleptic Gregorian). Draw dates are America/Bogota local dates.
struct CivilDate {
  int year = 1970;
  unsigned month = 1;  ///< 1..12
  unsigned day = 1;    ///< 1..31
};

/// Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil: exact for every date).
constexpr int64_t days_from_civil(int year, unsigned month, unsigned day) noexcept {
  const int64_t y = static_cast<int64_t>(year) - (month <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

constexpr int64_t to_days(const CivilDate& date) noexcept { return days_from_civil(date.year, date.month, date.day); }

/// The civil date `days` days after 1970-01-01 (civil_from_days).
constexpr CivilDate civil_from_days(int64_t days) noexcept {
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0);
  return CivilDate{static_cast<int>(y), m, d};
}

constexpr CivilDate add_days(const CivilDate& date, int64_t days) noexcept {
  return civil_from_days(to_days(date) + days);
}

constexpr bool operator==(const CivilDate& a, const CivilDate& b) noexcept {
  return a.year == b.year && a.month == b.month && a.day == b.day;
}
constexpr bool operator!=(const CivilDate& a, const CivilDate& b) noexcept { return !(a == b); }
constexpr bool operator<(const CivilDate& a, const CivilDate& b) noexcept { return to_days(a) < to_days(b); }
constexpr bool operator<=(const CivilDate& a, const CivilDate& b) noexcept { return !(b < a); }
constexpr bool operator>(const CivilDate& a, const CivilDate& b) noexcept { return b < a; }
constexpr bool operator>=(const CivilDate& a, const CivilDate& b) noexcept { return !(a < b); }

/// Days in `month` of `year`.
constexpr unsigned days_in_month(int year, unsigned month) noexcept {
  constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : (month >= 1 && month <= 12 ? kDays[month - 1] : 0);
}

/// "YYYY-MM-DD" (exactly that shape, a real date: 2026-02-30 is refused) → CivilDate.
inline std::optional<CivilDate> parse_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  const auto number = [&](size_t from, size_t count) {
    int value = 0;
    for (size_t i = from; i < from + count; ++i) value = value * 10 + (text[i] - '0');
    return value;
  };
  const CivilDate date{number(0, 4), static_cast<unsigned>(number(5, 2)), static_cast<unsigned>(number(8, 2))};
  if (date.month < 1 || date.month > 12 || date.day < 1 || date.day > days_in_month(date.year, date.month)) {
    return std::nullopt;
  }
  return date;
}

/// CivilDate → "YYYY-MM-DD".
inline std::string format_iso(const CivilDate& date) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", date.year, date.month, date.day);
  return buffer;
}

/// Days of the week, numbered as C's tm_wday (Sunday = 0).
enum class Weekday { kSunday = 0, kMonday, kTuesday, kWednesday, kThursday, kFriday, kSaturday };

constexpr Weekday weekday_of(const CivilDate& date) noexcept {
  const int64_t days = to_days(date);  // 1970-01-01 was a Thursday
  return static_cast<Weekday>((days % 7 + 11) % 7);
}

/// "sunday" … "saturday": the names schedule()'s "days" uses.
inline const char* english_name(Weekday day) noexcept {
  static const char* const kNames[] = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};
  return kNames[static_cast<int>(day)];
}

/// "domingo" … "sábado" (UTF-8, lower case), as Colombian results pages print them.
inline const char* spanish_name(Weekday day) noexcept {
  static const char* const kNames[] = {"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"};
  return kNames[static_cast<int>(day)];
}

/// The weekday named in English ("thursday", any case), or nullopt.
inline std::optional<Weekday> parse_english_weekday(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  for (int i = 0; i < 7; ++i) {
    if (lower == english_name(static_cast<Weekday>(i))) return static_cast<Weekday>(i);
  }
  return std::nullopt;
}

/// "HH:MM" (00:00..23:59) → minutes after midnight, or nullopt.
inline std::optional<int> parse_hh_mm(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (size_t i : {0, 1, 3, 4}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (hours > 23 || minutes > 59) return std::nullopt;
  return hours * 60 + minutes;
}

/// Minutes after midnight → "HH:MM".
inline std::string format_hh_mm(int minute_of_day) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%02d:%02d", minute_of_day / 60, minute_of_day % 60);
  return buffer;
}

// ---- America/Bogota ----------------------------------------------------------------------------

/// America/Bogota is UTC−5 all year: Colombia has kept no daylight saving time since 1993, so a
/// fixed offset is exact for every date a plugin handles.
inline constexpr int64_t kBogotaUtcOffsetSeconds = -5 * 3600;
inline constexpr const char* kBogotaTimeZone = "America/Bogota";

namespace detail {
constexpr int64_t floor_div(int64_t a, int64_t b) noexcept { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
}  // namespace detail

/// The Bogotá calendar date of a Unix instant (seconds).
constexpr CivilDate bogota_date_of(int64_t unix_seconds) noexcept {
  return civil_from_days(detail::floor_div(unix_seconds + kBogotaUtcOffsetSeconds, 86400));
}
/// The Bogotá calendar date of a Unix instant in milliseconds (what host().now_unix_ms() gives).
constexpr CivilDate bogota_date_of_ms(int64_t unix_ms) noexcept {
  return bogota_date_of(detail::floor_div(unix_ms, 1000));
}

/// Minutes after Bogotá's local midnight of a Unix instant (seconds).
constexpr int bogota_minute_of_day(int64_t unix_seconds) noexcept {
  const int64_t local = unix_seconds + kBogotaUtcOffsetSeconds;
  return static_cast<int>((local - detail::floor_div(local, 86400) * 86400) / 60);
}

/// The Unix instant (seconds) of a Bogotá local date and time (minutes after midnight).
constexpr int64_t bogota_instant(const CivilDate& date, int minute_of_day) noexcept {
  return to_days(date) * 86400 + static_cast<int64_t>(minute_of_day) * 60 - kBogotaUtcOffsetSeconds;
}
/// The same in milliseconds, to compare with host().now_unix_ms().
constexpr int64_t bogota_instant_ms(const CivilDate& date, int minute_of_day) noexcept {
  return bogota_instant(date, minute_of_day) * 1000;
}

// ---- Colombian holidays (festivos) -------------------------------------------------------------

/// Easter Sunday of `year` (Gregorian computus, the "anonymous" algorithm).
constexpr CivilDate easter_sunday(int year) noexcept {
  const int a = year % 19;
  const int b = year / 100;
  const int c = year % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = ((h + l - 7 * m + 114) % 31) + 1;
  return CivilDate{year, static_cast<unsigned>(month), static_cast<unsigned>(day)};
}

/// `date` itself when it is a Monday, else the Monday after it (Ley Emiliani's move).
constexpr CivilDate next_monday_or_same(const CivilDate& date) noexcept {
  const int weekday = static_cast<int>(weekday_of(date));
  return add_days(date, (8 - weekday) % 7);
}

/// One national holiday as observed.
struct Holiday {
  CivilDate date;     ///< the day it is observed (after a Ley Emiliani move)
  std::string name;   ///< "Reyes Magos", "Jueves Santo" …
  CivilDate nominal;  ///< the day it commemorates (equal to `date` unless moved)
};

/// Every national holiday of Colombia in `year` as observed, sorted by date. Computed, not
/// tabulated: the fixed days (1 Jan, 1 May, 20 Jul, 7 Aug, 8 Dec, 25 Dec); Holy Thursday and Good
/// Friday (Easter − 3, − 2); and the days Ley 51 de 1983 (Ley Emiliani) moves to the following
/// Monday when they do not fall on one: 6 Jan, 19 Mar, 29 Jun, 15 Aug, 12 Oct, 1 Nov, 11 Nov, and
/// Ascension (Easter + 39), Corpus Christi (+ 60) and Sacred Heart (+ 68).
inline std::vector<Holiday> colombian_holidays(int year) {
  const auto day = [year](unsigned month, unsigned d) { return CivilDate{year, month, d}; };
  std::vector<Holiday> out;
  const auto fixed = [&](CivilDate date, const char* name) { out.push_back({date, name, date}); };
  const auto moved = [&](CivilDate date, const char* name) { out.push_back({next_monday_or_same(date), name, date}); };
  fixed(day(1, 1), "Año Nuevo");
  fixed(day(5, 1), "Día del Trabajo");
  fixed(day(7, 20), "Día de la Independencia");
  fixed(day(8, 7), "Batalla de Boyacá");
  fixed(day(12, 8), "Inmaculada Concepción");
  fixed(day(12, 25), "Navidad");
  const CivilDate easter = easter_sunday(year);
  fixed(add_days(easter, -3), "Jueves Santo");
  fixed(add_days(easter, -2), "Viernes Santo");
  moved(day(1, 6), "Reyes Magos");
  moved(day(3, 19), "San José");
  moved(day(6, 29), "San Pedro y San Pablo");
  moved(day(8, 15), "Asunción de la Virgen");
  moved(day(10, 12), "Día de la Raza");
  moved(day(11, 1), "Todos los Santos");
  moved(day(11, 11), "Independencia de Cartagena");
  moved(add_days(easter, 39), "Ascensión del Señor");
  moved(add_days(easter, 60), "Corpus Christi");
  moved(add_days(easter, 68), "Sagrado Corazón");
  std::stable_sort(out.begin(), out.end(), [](const Holiday& a, const Holiday& b) { return a.date < b.date; });
  return out;
}

/// The observed holiday on `date`, or nullopt.
inline std::optional<Holiday> colombian_holiday_on(const CivilDate& date) {
  for (auto& holiday : colombian_holidays(date.year)) {
    if (holiday.date == date) return holiday;
  }
  return std::nullopt;
}

/// True when `date` is an observed national holiday (festivo) in Colombia.
inline bool is_colombian_holiday(const CivilDate& date) { return colombian_holiday_on(date).has_value(); }

}  // namespace rifa::sdk

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif
