#include "results_page.hpp"

#include <map>
#include <sstream>

#include "rifa/sdk/error.hpp"

namespace example {
namespace {

std::string trim(const std::string& text) {
  const size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

bool is_digits(const std::string& text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

ResultsPage parse_results_page(const std::string& body) {
  std::map<std::string, std::string> fields;
  std::istringstream lines(body);
  std::string line;
  while (std::getline(lines, line)) {
    const size_t colon = line.find(':');
    if (colon != std::string::npos) fields[trim(line.substr(0, colon))] = trim(line.substr(colon + 1));
  }
  ResultsPage page;
  if (fields["estado"] == "pendiente") return page;
  for (const char* key : {"sorteo", "fecha", "numero"}) {
    if (fields[key].empty()) throw rifa::sdk::Error(RIFA_ERR_PARSE, std::string("results page: no '") + key + "' line");
  }
  for (const char* key : {"sorteo", "numero"}) {
    if (!is_digits(fields[key])) {
      throw rifa::sdk::Error(RIFA_ERR_PARSE,
                             std::string("results page: '") + key + "' is not a digit string: '" + fields[key] + "'");
    }
  }
  if (!fields["serie"].empty() && !is_digits(fields["serie"])) {
    throw rifa::sdk::Error(RIFA_ERR_PARSE, "results page: 'serie' is not a digit string: '" + fields["serie"] + "'");
  }
  page.published = true;
  page.draw_number = fields["sorteo"];
  page.date = fields["fecha"];
  page.number = fields["numero"];
  page.series = fields["serie"];
  return page;
}

}  // namespace example
