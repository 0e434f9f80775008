#include "engine/iso_time.hpp"

#include <cstdio>

#include "engine/validation.hpp"

namespace rifa::engine {
namespace {

bool digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

}  // namespace

Result<TimePoint> parse_iso_time(std::string_view text, std::string_view field) {
  using namespace std::chrono;
  const auto bad = [&] {
    return invalid_field(field, "must be an ISO-8601 date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM:SSZ)");
  };
  int y = 0, mo = 0, d = 0;
  if (text.size() < 10 || !digits(text, 0, 4, y) || text[4] != '-' || !digits(text, 5, 2, mo) || text[7] != '-' ||
      !digits(text, 8, 2, d)) {
    return bad();
  }
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return bad();
  TimePoint t = sys_days{ymd};
  if (text.size() == 10) return t;
  int h = 0, mi = 0, s = 0;
  if (text.size() < 20 || (text[10] != 'T' && text[10] != 't') || !digits(text, 11, 2, h) || text[13] != ':' ||
      !digits(text, 14, 2, mi) || text[16] != ':' || !digits(text, 17, 2, s) || h > 23 || mi > 59 || s > 59) {
    return bad();
  }
  size_t pos = 19;
  milliseconds frac{0};
  if (text[pos] == '.') {
    ++pos;
    int scale = 100, ms = 0;
    const size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      ms += (text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start || pos - start > 9) return bad();
    frac = milliseconds{ms};
  }
  t += hours{h} + minutes{mi} + seconds{s} + frac;
  if (pos == text.size() - 1 && (text[pos] == 'Z' || text[pos] == 'z')) return t;
  int oh = 0, om = 0;
  if (pos + 6 == text.size() && (text[pos] == '+' || text[pos] == '-') && digits(text, pos + 1, 2, oh) &&
      text[pos + 3] == ':' && digits(text, pos + 4, 2, om) && oh <= 23 && om <= 59) {
    const minutes offset = hours{oh} + minutes{om};
    return text[pos] == '+' ? t - offset : t + offset;
  }
  return bad();
}

std::string format_iso_time(TimePoint t) {
  using namespace std::chrono;
  const auto ms = floor<milliseconds>(t);
  const auto day_point = floor<days>(ms);
  const year_month_day ymd{day_point};
  const hh_mm_ss hms{ms - day_point};
  char out[32];
  std::snprintf(out, sizeof out, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()), static_cast<int>(hms.subseconds().count()));
  return out;
}

}  // namespace rifa::engine
