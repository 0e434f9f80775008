#pragma once

#include <cstdint>
#include <string>

#include "civil_date.hpp"

namespace rifa::plugins::mock {

// What decides a mock draw: the same settings and date always give the same draw.
struct DrawSettings {
  std::string seed = "rifa1122";
  int number_digits = 4;
  int series_digits = 3;  // 0: the draw has no series
  CivilDate epoch{};      // the day of draw number first_draw_number
  int64_t first_draw_number = 1;
};

struct MockDraw {
  std::string date;
  std::string draw_number;
  std::string number;
  std::string series;  // empty when the lottery has no series
};

MockDraw make_draw(const DrawSettings& settings, CivilDate date);

// The canonical text of the "page" a mock draw is read from; parse_page reads exactly this format:
//   RIFA MOCK DRAW v1
//   date: 2026-01-22
//   draw_number: 2213
//   number: 0042
//   series: 007            (absent when the lottery has no series)
// or, for a draw not published yet, the first line and "status: not_published".
std::string canonical_page(const MockDraw& draw);

// The ABI's lottery result JSON for `draw`, read from `source_url` whose body was `raw_page`.
std::string result_json(const MockDraw& draw, const std::string& source_url, const std::string& raw_page);

struct ParsedPage {
  bool published = false;
  MockDraw draw;
};

// Reads a canonical page. Throws rifa::sdk::Error(RIFA_ERR_PARSE) naming what is missing or malformed.
ParsedPage parse_canonical_page(const std::string& body);

}  // namespace rifa::plugins::mock
