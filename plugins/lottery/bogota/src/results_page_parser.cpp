#include "rifa/lottery/bogota/results_page_parser.hpp"

#include <vector>

#include "rifa/lottery/lottery_names.hpp"
#include "rifa/lottery/digits.hpp"
#include "rifa/lottery/html_document.hpp"
#include "rifa/lottery/sha256.hpp"
#include "rifa/lottery/spanish_date.hpp"

namespace rifa::lottery::bogota {
namespace {

constexpr const char* kWhere = "bogota: ";

// All the text of a cell. The site prints one digit per span, but reading the whole cell (and
// refusing anything but digits and spaces) cannot double-count or skip a digit when the span
// markup is damaged.
std::string cell_digits_text(const HtmlDocument& /*doc*/, xmlNode* cell) { return HtmlDocument::text(cell); }

// The result block: the nearest element around tbody.mayor that also holds the sorteo and the
// date. Null when only the whole page does (then nothing ties the three together).
xmlNode* result_block(const HtmlDocument& doc, xmlNode* mayor_body) {
  const std::string sorteo = ".//*[" + xpath_has_class("resultado-sorteo") + "]";
  const std::string fecha = ".//*[" + xpath_has_class("resultado-fecha") + "]";
  for (xmlNode* node = mayor_body->parent; node != nullptr && node->type == XML_ELEMENT_NODE; node = node->parent) {
    const std::string tag = reinterpret_cast<const char*>(node->name);
    if (tag == "body" || tag == "html") return nullptr;
    if (doc.first(sorteo, node) != nullptr && doc.first(fecha, node) != nullptr) return node;
  }
  return nullptr;
}

}  // namespace

Outcome parse_bogota_results(std::string_view body, const PageRequest& request, const BilleteRules& rules) {
  const std::string where = kWhere;
  if (std::string problem = html_body_problem(body); !problem.empty()) { return Outcome::parse_error(where + problem); }
  const HtmlDocument doc = HtmlDocument::parse(body);
  xmlNode* sorteo_node = doc.first("//*[" + xpath_has_class("resultado-sorteo") + "]");
  if (sorteo_node == nullptr) return Outcome::parse_error(where + "no .resultado-sorteo in page");
  xmlNode* date_node = doc.first("//*[" + xpath_has_class("resultado-fecha") + "]");
  if (date_node == nullptr) return Outcome::parse_error(where + "no .resultado-fecha in page");
  const auto mayor_rows = doc.select("//tbody[" + xpath_has_class("mayor") + "]/tr");
  if (mayor_rows.empty()) return Outcome::parse_error(where + "no tbody.mayor row in page");
  // One premio mayor per page; more rows mean a changed or damaged layout, not a choice to make.
  if (mayor_rows.size() != 1) {
    return Outcome::parse_error(where + std::to_string(mayor_rows.size()) + " tbody.mayor rows, expected 1");
  }
  xmlNode* mayor = mayor_rows.front();
  // A page can carry another lottery's result under Bogotá's header (the Quindío draws the same
  // night): the block is taken for what it names, never for where it sits.
  xmlNode* block = result_block(doc, mayor->parent);
  if (block == nullptr) {
    return Outcome::parse_error(where +
                                "tbody.mayor, .resultado-sorteo and .resultado-fecha are not in one result "
                                "block: layout changed");
  }
  const std::vector<std::string> named = lotteries_named(block);
  if (named.empty()) {
    return Outcome::parse_error(where + "the result block names no lottery (expected " + std::string(kLoteriaDeBogota) +
                                " in its text or a logo's alt): layout changed");
  }
  if (named.size() != 1 || named.front() != kLoteriaDeBogota) {
    return Outcome::parse_error(where + "the result block names " + joined_names(named) + ", expected only " +
                                std::string(kLoteriaDeBogota) + ": layout changed or another lottery's result");
  }
  sorteo_node = doc.first(".//*[" + xpath_has_class("resultado-sorteo") + "]", block);
  date_node = doc.first(".//*[" + xpath_has_class("resultado-fecha") + "]", block);

  const std::string date_text = HtmlDocument::text(date_node);
  const auto date = find_spanish_date(date_text);
  if (!date) return Outcome::parse_error(where + "unreadable date in .resultado-fecha '" + date_text + "'");
  if (to_days(*date) < to_days(request.date)) {
    return Outcome::not_published(where + "latest draw on the page is " + format_iso(*date));
  }
  const std::string sorteo_text = HtmlDocument::text(sorteo_node);
  const std::string sorteo = digits_of(sorteo_text);
  if (sorteo.empty() || sorteo.size() > 6) {
    return Outcome::parse_error(where + "no sorteo number in .resultado-sorteo '" + sorteo_text + "'");
  }

  const auto cells = doc.select("./td", mayor);
  if (cells.size() < 2) {
    return Outcome::parse_error(where + "tbody.mayor row has " + std::to_string(cells.size()) +
                                " cells, expected número and serie");
  }
  const DigitCell numero = read_digit_cell(cell_digits_text(doc, cells[0]));
  const DigitCell serie = read_digit_cell(cell_digits_text(doc, cells[1]));
  for (const DigitCell* cell : {&numero, &serie}) {
    if (cell->kind == CellKind::kPlaceholder) {
      return Outcome::not_published(where + "premio mayor of sorteo " + sorteo + " not drawn yet ('" + cell->text +
                                    "')");
    }
    if (cell->kind == CellKind::kJunk) {
      return Outcome::parse_error(where + "tbody.mayor: '" + cell->text + "' is not digits");
    }
  }

  DrawResult draw;
  draw.date = format_iso(*date);
  draw.draw_number = sorteo;
  draw.numbers = {numero.text};
  draw.series = serie.text;
  const auto seco_rows = doc.select("//tbody[" + xpath_has_class("secos") + "]/tr");
  for (std::size_t i = 0; i < seco_rows.size(); ++i) {
    const std::string at = where + "seco row " + std::to_string(i + 1) + ": ";
    const auto seco_cells = doc.select("./td", seco_rows[i]);
    if (seco_cells.size() != 3) {
      return Outcome::parse_error(at + std::to_string(seco_cells.size()) + " cells, expected 3");
    }
    SecondaryPrize seco;
    seco.name = HtmlDocument::text(seco_cells[0]);
    const DigitCell number = read_digit_cell(cell_digits_text(doc, seco_cells[1]));
    const DigitCell series = read_digit_cell(cell_digits_text(doc, seco_cells[2]));
    for (const DigitCell* cell : {&number, &series}) {
      if (cell->kind == CellKind::kPlaceholder) {
        return Outcome::not_published(where + "secos of sorteo " + sorteo + " not published yet");
      }
      if (cell->kind == CellKind::kJunk) return Outcome::parse_error(at + "'" + cell->text + "' is not digits");
    }
    seco.number = number.text;
    seco.series = series.text;
    seco.prize_cents = prize_cents_from_label(seco.name).value_or(0);
    draw.secondary.push_back(std::move(seco));
  }
  draw.source_url = request.source_url;
  draw.raw_sha256 = sha256_hex(body);
  return validate_billete_draw(draw, request.date, rules);
}

}  // namespace rifa::lottery::bogota
