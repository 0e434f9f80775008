#include "storage/timestamps.hpp"

#include <cctype>
#include <cstdio>

#include "engine/iso_time.hpp"

namespace rifa::storage {
namespace {

bool read_digits(std::string_view s, size_t& i, size_t count, int& out) {
  if (i + count > s.size()) return false;
  out = 0;
  for (size_t k = 0; k < count; ++k) {
    const char c = s[i + k];
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    out = out * 10 + (c - '0');
  }
  i += count;
  return true;
}

bool expect(std::string_view s, size_t& i, char c) {
  if (i >= s.size() || s[i] != c) return false;
  ++i;
  return true;
}

}  // namespace

std::string format_timestamp(TimePoint t) { return engine::format_iso_time(t); }

Result<TimePoint> parse_timestamp(std::string_view text) {
  using namespace std::chrono;
  const auto bad = [&] {
    // append() rather than operator+: GCC 12 reports a false -Wrestrict on "'" + std::string.
    std::string message = "'";
    message.append(text).append("' is not an ISO-8601 timestamp");
    return make_error(ErrorCode::kInvalidArgument, std::move(message));
  };
  size_t i = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!read_digits(text, i, 4, y) || !expect(text, i, '-') || !read_digits(text, i, 2, mo) || !expect(text, i, '-') ||
      !read_digits(text, i, 2, d)) {
    return bad();
  }
  if (i >= text.size() || (text[i] != 'T' && text[i] != ' ')) return bad();
  ++i;
  if (!read_digits(text, i, 2, h) || !expect(text, i, ':') || !read_digits(text, i, 2, mi) || !expect(text, i, ':') ||
      !read_digits(text, i, 2, s)) {
    return bad();
  }
  int ms = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    int digits = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      if (digits < 3) ms = ms * 10 + (text[i] - '0');
      ++digits;
      ++i;
    }
    if (digits == 0) return bad();
    for (; digits < 3; ++digits) ms *= 10;
  }
  int offset_minutes = 0;
  if (i < text.size() && text[i] == 'Z') {
    ++i;
  } else if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    const int sign = text[i] == '-' ? -1 : 1;
    ++i;
    int oh = 0, om = 0;
    if (!read_digits(text, i, 2, oh)) return bad();
    if (i < text.size() && text[i] == ':') ++i;
    if (i < text.size() && !read_digits(text, i, 2, om)) return bad();
    offset_minutes = sign * (oh * 60 + om);
  } else {
    return bad();
  }
  if (i != text.size()) return bad();
  const year_month_day ymd{year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 60) return bad();
  return TimePoint(sys_days(ymd) + hours(h) + minutes(mi) + seconds(s) + milliseconds(ms) - minutes(offset_minutes));
}

}  // namespace rifa::storage
