#include "rifa/lottery/spanish_date.hpp"

#include <array>
#include <cstdio>
#include <vector>

#include "rifa/lottery/digits.hpp"

namespace rifa::lottery {
namespace {

constexpr std::array<const char*, 12> kMonths = {"enero", "febrero", "marzo",      "abril",   "mayo",      "junio",
                                                 "julio", "agosto",  "septiembre", "octubre", "noviembre", "diciembre"};
constexpr std::array<const char*, 12> kMonthsCapital = {"Enero",      "Febrero", "Marzo",     "Abril",
                                                        "Mayo",       "Junio",   "Julio",     "Agosto",
                                                        "Septiembre", "Octubre", "Noviembre", "Diciembre"};

std::string ascii_lower(std::string_view word) {
  std::string out(word);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Words are runs of ASCII letters/digits and of UTF-8 bytes (so "miércoles" stays one word);
// everything else separates, except that "/" and "-" are kept as their own tokens for numeric
// dates.
std::vector<std::string> tokenize(std::string_view text) {
  std::vector<std::string> tokens;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) tokens.push_back(ascii_lower(current));
    current.clear();
  };
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool word = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                      (byte >= 0x80 && byte != 0xc2 && byte != 0xa0);
    if (word) {
      current.push_back(c);
    } else {
      flush();
      if (c == '/' || c == '-') tokens.emplace_back(1, c);
    }
  }
  flush();
  return tokens;
}

std::optional<unsigned> day_token(const std::string& token) {
  if (token.size() > 2 || !is_all_digits(token)) return std::nullopt;
  int value = *parse_small_int(token);
  if (value < 1 || value > 31) return std::nullopt;
  return static_cast<unsigned>(value);
}

std::optional<int> year_token(const std::string& token) {
  if (!is_digit_string(token, 4)) return std::nullopt;
  return *parse_small_int(token);
}

std::optional<Date> make_date(int year, unsigned month, unsigned day) {
  Date date{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
  if (!date.ok()) return std::nullopt;
  return date;
}

}  // namespace

std::optional<Date> parse_iso_date(std::string_view text) {
  auto date = sdk::parse_iso_date(text);
  if (!date) return std::nullopt;
  return from_civil(*date);
}

std::string format_iso(const Date& date) { return sdk::format_iso(to_civil(date)); }

std::string_view spanish_weekday(std::chrono::weekday day) {
  return sdk::spanish_name(static_cast<sdk::Weekday>(day.c_encoding()));
}

std::optional<unsigned> spanish_month(std::string_view word) {
  const std::string lower = ascii_lower(word);
  if (lower == "setiembre") return 9u;
  for (unsigned i = 0; i < kMonths.size(); ++i) {
    if (lower == kMonths[i]) return i + 1;
  }
  return std::nullopt;
}

std::optional<Date> find_spanish_date(std::string_view text) {
  const std::vector<std::string> t = tokenize(text);
  const std::size_t n = t.size();
  for (std::size_t i = 0; i < n; ++i) {
    // ISO: 2025 - 12 - 31
    if (i + 4 < n && year_token(t[i]) && t[i + 1] == "-" && t[i + 3] == "-") {
      auto month = day_token(t[i + 2]);
      auto day = day_token(t[i + 4]);
      if (month && day && *month <= 12) {
        if (auto date = make_date(*year_token(t[i]), *month, *day)) return date;
      }
    }
    // Numeric: 31 / 12 / 2025
    if (i + 4 < n && day_token(t[i]) && t[i + 1] == "/" && t[i + 3] == "/") {
      auto month = day_token(t[i + 2]);
      auto year = year_token(t[i + 4]);
      if (month && year && *month <= 12) {
        if (auto date = make_date(*year, *month, *day_token(t[i]))) return date;
      }
    }
    auto month = spanish_month(t[i]);
    if (!month) continue;
    // Day before the month: "31 de diciembre …" or "01 septiembre …".
    std::optional<unsigned> day;
    if (i >= 2 && t[i - 1] == "de") day = day_token(t[i - 2]);
    if (!day && i >= 1) day = day_token(t[i - 1]);
    std::size_t after = i + 1;
    if (day) {
      if (after < n && (t[after] == "de" || t[after] == "del")) ++after;
      if (after < n) {
        if (auto year = year_token(t[after])) {
          if (auto date = make_date(*year, *month, *day)) return date;
        }
      }
      continue;
    }
    // Month first: "Septiembre 02 2026" or "septiembre 02 de 2026".
    if (after + 1 < n) {
      if (auto month_day = day_token(t[after])) {
        std::size_t year_at = after + 1;
        if (year_at < n && t[year_at] == "de") ++year_at;
        if (year_at < n) {
          if (auto year = year_token(t[year_at])) {
            if (auto date = make_date(*year, *month, *month_day)) return date;
          }
        }
      }
    }
  }
  return std::nullopt;
}

std::string spanish_month_name(unsigned month) {
  if (month < 1 || month > 12) return {};
  return kMonthsCapital[month - 1];
}

std::string format_spanish_long(const Date& date) {
  char day[4];
  std::snprintf(day, sizeof day, "%02u", static_cast<unsigned>(date.day()));
  return std::string(day) + " de " + spanish_month_name(static_cast<unsigned>(date.month())) + " de " +
         std::to_string(static_cast<int>(date.year()));
}

}  // namespace rifa::lottery
