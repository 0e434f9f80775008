#include "engine/rake.hpp"

#include <cstdio>

#include "engine/catalog.hpp"
#include "engine/validation.hpp"

namespace rifa::engine {

Result<int32_t> parse_rake(std::string_view text) {
  const auto bad = [] {
    return invalid_field(
        "rake",
        "must be a decimal between 0 and 1 with at most 4 decimals, as a string (\"0.2500\") or a number (0.25)");
  };
  if (text.empty() || text.size() > 6) return bad();
  int32_t units = 0;
  size_t pos = 0;
  if (text[0] == '0' || text[0] == '1') {
    units = text[0] - '0';
    pos = 1;
  } else {
    return bad();
  }
  int32_t frac = 0;
  int digits = 0;
  if (pos < text.size()) {
    if (text[pos] != '.' || pos + 1 == text.size()) return bad();
    for (++pos; pos < text.size(); ++pos, ++digits) {
      if (text[pos] < '0' || text[pos] > '9') return bad();
      frac = frac * 10 + (text[pos] - '0');
    }
  }
  for (; digits < 4; ++digits) frac *= 10;
  const int32_t bp = units * 10000 + frac;
  if (bp > kRakeBpMax) return bad();
  return bp;
}

std::string format_rake(int32_t rake_bp) {
  char out[16];
  std::snprintf(out, sizeof out, "%d.%04d", rake_bp / 10000, rake_bp % 10000);
  return out;
}

}  // namespace rifa::engine
