#pragma once

#include <string>

namespace example {

// The results page of the example lottery, one "key: value" per line:
//   sorteo: 4521
//   fecha: 2026-01-22
//   numero: 0042
//   serie: 017
// or "estado: pendiente" while the draw is not published.
struct ResultsPage {
  bool published = false;
  std::string draw_number;
  std::string date;
  std::string number;
  std::string series;
};

// Throws rifa::sdk::Error(RIFA_ERR_PARSE) naming the missing or malformed line.
ResultsPage parse_results_page(const std::string& body);

}  // namespace example
