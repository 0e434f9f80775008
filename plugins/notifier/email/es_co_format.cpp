#include "es_co_format.hpp"

#include <cstdio>

namespace rifa::plugins::email {
namespace {

// Days since 1970-01-01 → civil date (Howard Hinnant's algorithm).
void civil_from_days(int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t year = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(year + (m <= 2));
}

int64_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::string group_thousands(uint64_t value) {
  std::string digits = std::to_string(value);
  std::string out;
  const size_t first = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
  out = digits.substr(0, first);
  for (size_t i = first; i < digits.size(); i += 3) out += "." + digits.substr(i, 3);
  return out;
}

}  // namespace

std::string format_cop(int64_t cents) {
  const bool negative = cents < 0;
  const uint64_t magnitude = negative ? static_cast<uint64_t>(-(cents + 1)) + 1 : static_cast<uint64_t>(cents);
  std::string text = "$ " + group_thousands(magnitude / 100);
  if (magnitude % 100 != 0) {
    char fraction[4];
    std::snprintf(fraction, sizeof fraction, "%02u", static_cast<unsigned>(magnitude % 100));
    text += std::string(",") + fraction;
  }
  return negative ? "-" + text : text;
}

std::optional<std::string> format_fecha(const std::string& iso_utc) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  if (std::sscanf(iso_utc.c_str(), "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &h, &mi) != 5) return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23) return std::nullopt;
  // Bogota is UTC-5 all year: the local day is the UTC day of (instant - 5 h).
  int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  if (h < 5) days -= 1;
  int ly = 0;
  unsigned lm = 0, ld = 0;
  civil_from_days(days, ly, lm, ld);
  static const char* const kDias[] = {"jueves", "viernes", "sábado", "domingo", "lunes", "martes", "miércoles"};
  static const char* const kMeses[] = {"enero", "febrero", "marzo",      "abril",   "mayo",      "junio",
                                       "julio", "agosto",  "septiembre", "octubre", "noviembre", "diciembre"};
  const int64_t weekday = ((days % 7) + 7) % 7;  // 1970-01-01 was a Thursday
  return std::string(kDias[weekday]) + " " + std::to_string(ld) + " de " + kMeses[lm - 1] + " de " + std::to_string(ly);
}

}  // namespace rifa::plugins::email
