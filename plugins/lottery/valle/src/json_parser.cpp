#include "rifa/lottery/valle/json_parser.hpp"

#include <set>
#include <vector>

#include <nlohmann/json.hpp>

#include "rifa/lottery/digits.hpp"
#include "rifa/lottery/sha256.hpp"
#include "rifa/lottery/spanish_date.hpp"

namespace rifa::lottery::valle {
namespace {

// A JSON value holding digits: a string as printed, or an integer padded to `width`.
// Returns the CellKind and the text.
DigitCell json_digits(const nlohmann::json& value, std::size_t width) {
  if (value.is_number_unsigned() || (value.is_number_integer() && value.get<long long>() >= 0)) {
    return {CellKind::kDigits, pad_digits(value.get<long long>(), width)};
  }
  if (value.is_string()) return read_digit_cell(value.get<std::string>());
  if (value.is_null()) return {CellKind::kPlaceholder, "null"};
  return {CellKind::kJunk, value.dump()};
}

// JSON allows repeated keys and nlohmann keeps the last one silently; in these responses a repeated
// key only comes from a damaged body (two entries run together), so it is refused.
nlohmann::json parse_strict(std::string_view body, bool& duplicate_key) {
  duplicate_key = false;
  std::vector<std::set<std::string>> keys;
  auto callback = [&](int /*depth*/, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    switch (event) {
      case nlohmann::json::parse_event_t::object_start: keys.emplace_back(); break;
      case nlohmann::json::parse_event_t::object_end:
        if (!keys.empty()) keys.pop_back();
        break;
      case nlohmann::json::parse_event_t::key:
        if (!keys.empty() && !keys.back().insert(parsed.get<std::string>()).second) duplicate_key = true;
        break;
      default: break;
    }
    return true;
  };
  return nlohmann::json::parse(body, callback, /*allow_exceptions=*/false);
}

std::string json_text(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return std::to_string(value.get<long long>());
  return {};
}

}  // namespace

Outcome parse_valle_tabla_normal(std::string_view body, const PageRequest& request, const BilleteRules& rules,
                                 const std::vector<SecondaryPrize>& secos) {
  const std::string where = "valle json: ";
  bool duplicate_key = false;
  const nlohmann::json json = parse_strict(body, duplicate_key);
  if (json.is_discarded()) return Outcome::parse_error(where + "tabla_normal response is not JSON");
  if (duplicate_key) return Outcome::parse_error(where + "an object repeats a key: damaged response");
  if (!json.is_array()) return Outcome::parse_error(where + "tabla_normal response is not a JSON array");
  if (json.empty()) return Outcome::not_published(where + "tabla_normal is empty");

  std::optional<Date> newest;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const auto& entry = json[i];
    const std::string at = where + "entry " + std::to_string(i) + ": ";
    if (!entry.is_object()) return Outcome::parse_error(at + "not an object");
    const auto fecha = entry.find("fecha");
    if (fecha == entry.end() || !fecha->is_string()) return Outcome::parse_error(at + "no fecha");
    const std::string fecha_text = fecha->get<std::string>();
    const auto date = parse_iso_date(std::string_view(fecha_text).substr(0, 10));
    if (!date) return Outcome::parse_error(at + "unreadable fecha '" + fecha_text + "'");
    if (!newest || to_days(*date) > to_days(*newest)) newest = *date;
    if (*date != request.date) continue;

    const auto sorteo = entry.find("sorteo");
    const auto mayor = entry.find("mayor");
    if (sorteo == entry.end()) return Outcome::parse_error(at + "no sorteo");
    if (mayor == entry.end() || !mayor->is_object()) return Outcome::parse_error(at + "no mayor object");
    const auto resultado = mayor->find("resultado");
    const auto serie = mayor->find("serie");
    if (resultado == mayor->end()) return Outcome::parse_error(at + "no mayor.resultado");
    if (serie == mayor->end()) return Outcome::parse_error(at + "no mayor.serie");
    const DigitCell numero = json_digits(*resultado, 4);
    const DigitCell series = json_digits(*serie, 3);
    for (const DigitCell* cell : {&numero, &series}) {
      if (cell->kind == CellKind::kPlaceholder) {
        return Outcome::not_published(where + "premio mayor for " + format_iso(*date) + " not drawn yet");
      }
      if (cell->kind == CellKind::kJunk) return Outcome::parse_error(at + "'" + cell->text + "' is not digits");
    }
    const std::string sorteo_text = json_text(*sorteo);
    if (!is_all_digits(sorteo_text)) return Outcome::parse_error(at + "sorteo is not a number");

    DrawResult draw;
    draw.date = format_iso(*date);
    draw.draw_number = sorteo_text;
    draw.numbers = {numero.text};
    draw.series = series.text;
    draw.secondary = secos;
    draw.source_url = request.source_url;
    draw.raw_sha256 = sha256_hex(body);
    return validate_billete_draw(draw, request.date, rules);
  }
  if (to_days(request.date) > to_days(*newest)) {
    return Outcome::not_published(where + "newest draw listed is " + format_iso(*newest));
  }
  return Outcome::validation_error(where + "no draw dated " + format_iso(request.date) + " though the list runs to " +
                                   format_iso(*newest));
}

SecosRead parse_valle_secos(std::string_view body) {
  const std::string where = "valle secos: ";
  if (collapse_whitespace(body).empty()) { return {OutcomeKind::kNotPublished, {}, where + "empty response"}; }
  bool duplicate_key = false;
  const nlohmann::json json = parse_strict(body, duplicate_key);
  if (json.is_discarded()) return {OutcomeKind::kParseError, {}, where + "response is not JSON"};
  if (duplicate_key) return {OutcomeKind::kParseError, {}, where + "an object repeats a key: damaged response"};
  if (!json.is_array()) return {OutcomeKind::kParseError, {}, where + "response is not a JSON array"};
  if (json.empty()) return {OutcomeKind::kNotPublished, {}, where + "no secos yet"};
  SecosRead read;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const auto& entry = json[i];
    const std::string at = where + "entry " + std::to_string(i) + ": ";
    if (!entry.is_object() || !entry.contains("resultado") || !entry.contains("serie")) {
      return {OutcomeKind::kParseError, {}, at + "needs resultado and serie"};
    }
    const DigitCell number = json_digits(entry["resultado"], 4);
    const DigitCell series = json_digits(entry["serie"], 3);
    for (const DigitCell* cell : {&number, &series}) {
      if (cell->kind == CellKind::kPlaceholder) return {OutcomeKind::kNotPublished, {}, where + "secos not drawn yet"};
      if (cell->kind == CellKind::kJunk)
        return {OutcomeKind::kParseError, {}, at + "'" + cell->text + "' is not digits"};
    }
    SecondaryPrize seco;
    seco.name = entry.contains("seco") ? json_text(entry["seco"]) : "";
    seco.number = number.text;
    seco.series = series.text;
    seco.prize_cents = prize_cents_from_label(seco.name).value_or(0);
    read.secos.push_back(std::move(seco));
  }
  return read;
}

}  // namespace rifa::lottery::valle
