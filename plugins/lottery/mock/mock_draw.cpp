#include "mock_draw.hpp"

#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "rifa/sdk/error.hpp"
#include "rifa/sdk/sha256.hpp"

namespace rifa::plugins::mock {
namespace {

constexpr const char* kHeader = "RIFA MOCK DRAW v1";

uint64_t pow10(int digits) {
  uint64_t value = 1;
  for (int i = 0; i < digits; ++i) value *= 10;
  return value;
}

std::string zero_padded(uint64_t value, int digits) {
  std::string text = std::to_string(value);
  if (static_cast<int>(text.size()) < digits) text.insert(0, static_cast<size_t>(digits) - text.size(), '0');
  return text;
}

bool is_digit_string(const std::string& text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

[[noreturn]] void parse_error(const std::string& what) { throw sdk::Error(RIFA_ERR_PARSE, "mock page: " + what); }

}  // namespace

MockDraw make_draw(const DrawSettings& settings, CivilDate date) {
  // 15 hex digits fit in 60 bits, far more than the 9 decimal digits a number can have.
  const std::string digest = sdk::sha256_hex(settings.seed + "|" + to_iso(date));
  const uint64_t number_bits = std::stoull(digest.substr(0, 15), nullptr, 16);
  const uint64_t series_bits = std::stoull(digest.substr(15, 15), nullptr, 16);
  MockDraw draw;
  draw.date = to_iso(date);
  draw.draw_number =
      std::to_string(settings.first_draw_number + (date.days_since_epoch - settings.epoch.days_since_epoch));
  draw.number = zero_padded(number_bits % pow10(settings.number_digits), settings.number_digits);
  if (settings.series_digits > 0) {
    draw.series = zero_padded(series_bits % pow10(settings.series_digits), settings.series_digits);
  }
  return draw;
}

std::string canonical_page(const MockDraw& draw) {
  std::string page = std::string(kHeader) + "\n";
  page += "date: " + draw.date + "\n";
  page += "draw_number: " + draw.draw_number + "\n";
  page += "number: " + draw.number + "\n";
  if (!draw.series.empty()) page += "series: " + draw.series + "\n";
  return page;
}

std::string result_json(const MockDraw& draw, const std::string& source_url, const std::string& raw_page) {
  nlohmann::json result = {{"date", draw.date},
                           {"draw_number", draw.draw_number},
                           {"numbers", nlohmann::json::array({draw.number})},
                           {"source_url", source_url},
                           {"raw_sha256", sdk::sha256_hex(raw_page)}};
  if (!draw.series.empty()) result["series"] = draw.series;
  return result.dump();
}

ParsedPage parse_canonical_page(const std::string& body) {
  std::istringstream lines(body);
  std::string line;
  if (!std::getline(lines, line) || line != kHeader)
    parse_error(std::string("the first line is not '") + kHeader + "'");
  std::map<std::string, std::string> fields;
  int line_number = 1;
  while (std::getline(lines, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const size_t colon = line.find(": ");
    if (colon == std::string::npos) parse_error("line " + std::to_string(line_number) + " is not 'key: value'");
    fields[line.substr(0, colon)] = line.substr(colon + 2);
  }
  ParsedPage page;
  if (fields.count("status") && fields["status"] == "not_published") return page;
  for (const char* key : {"date", "draw_number", "number"}) {
    if (!fields.count(key)) parse_error(std::string("no '") + key + "' line");
  }
  for (const char* key : {"draw_number", "number", "series"}) {
    if (fields.count(key) && !is_digit_string(fields[key])) {
      parse_error(std::string("'") + key + "' is not a digit string: '" + fields[key] + "'");
    }
  }
  page.published = true;
  page.draw.date = fields["date"];
  page.draw.draw_number = fields["draw_number"];
  page.draw.number = fields["number"];
  if (fields.count("series")) page.draw.series = fields["series"];
  return page;
}

}  // namespace rifa::plugins::mock
