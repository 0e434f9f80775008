#include "rifa/lottery/valle/home_page_parser.hpp"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "rifa/lottery/lottery_names.hpp"
#include "rifa/lottery/digits.hpp"
#include "rifa/lottery/html_document.hpp"
#include "rifa/lottery/sha256.hpp"
#include "rifa/lottery/spanish_date.hpp"

namespace rifa::lottery::valle {
namespace {

// Lower case for ASCII and for the Latin-1 letters as UTF-8 ("NÚMERO" → "número").
std::string fold_case(std::string text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 'A' && c <= 'Z') {
      text[i] = static_cast<char>(c - 'A' + 'a');
    } else if (c == 0xc3 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9e && next != 0x97) text[i + 1] = static_cast<char>(next + 0x20);
      ++i;
    }
  }
  return text;
}

std::optional<std::size_t> find_block(const std::vector<std::string>& blocks, std::size_t from,
                                      std::string_view label) {
  for (std::size_t i = from; i < blocks.size(); ++i) {
    if (fold_case(blocks[i]) == label) return i;
  }
  return std::nullopt;
}

// The digits printed after a label: consecutive blocks of digits (one per block on the site).
DigitCell digits_after(const std::vector<std::string>& blocks, std::size_t label) {
  std::string text;
  std::size_t i = label + 1;
  for (; i < blocks.size(); ++i) {
    const DigitCell cell = read_digit_cell(blocks[i]);
    if (cell.kind == CellKind::kJunk) break;
    if (cell.kind == CellKind::kPlaceholder) return cell;
    text += cell.text;
  }
  if (text.empty()) { return {CellKind::kJunk, i < blocks.size() ? blocks[i] : std::string("end of page")}; }
  return {CellKind::kDigits, text};
}

// A "PREMIO MAYOR" label and the result it heads: the nearest element around the label that also
// holds a "Sorteo" line. Null when that is the whole page (no block of its own to identify).
xmlNode* result_block(xmlNode* label) {
  for (xmlNode* node = label->parent; node != nullptr && node->type == XML_ELEMENT_NODE; node = node->parent) {
    const std::string tag = reinterpret_cast<const char*>(node->name);
    if (tag == "body" || tag == "html") return nullptr;
    if (fold_case(HtmlDocument::text(node)).find("sorteo") != std::string::npos) return node;
  }
  return nullptr;
}

// The premio mayor of one result block, read from the block's own text blocks.
Outcome read_block(const HtmlDocument& doc, xmlNode* block, std::string_view body, const PageRequest& request,
                   const BilleteRules& rules) {
  const std::string where = "valle home: ";
  const std::vector<std::string> blocks = doc.text_blocks(block);
  const auto mayor = find_block(blocks, 0, "premio mayor");
  if (!mayor) return Outcome::parse_error(where + "no 'PREMIO MAYOR' block in page");
  // The sorteo and the date are printed just before the PREMIO MAYOR block.
  std::string sorteo;
  std::optional<Date> date;
  const std::size_t look_from = *mayor >= 6 ? *mayor - 6 : 0;
  for (std::size_t i = look_from; i < *mayor; ++i) {
    if (fold_case(blocks[i]).rfind("sorteo", 0) == 0) {
      // "Sorteo 4864", or "Sorteo" with the number as the next block on its own.
      std::string rest = blocks[i].size() > 6 ? collapse_whitespace(blocks[i].substr(6)) : "";
      if (rest.empty() && i + 1 < *mayor) rest = blocks[i + 1];
      if (!is_all_digits(rest)) rest.clear();
      if (!rest.empty() && rest.size() <= 6) sorteo = rest;
    }
    if (auto found = find_spanish_date(blocks[i])) date = found;
  }
  if (sorteo.empty()) return Outcome::parse_error(where + "no 'Sorteo <n>' before 'PREMIO MAYOR'");
  if (!date) return Outcome::parse_error(where + "no draw date before 'PREMIO MAYOR'");
  if (to_days(*date) < to_days(request.date)) {
    return Outcome::not_published(where + "latest draw on the page is " + format_iso(*date));
  }
  const auto numero_label = find_block(blocks, *mayor + 1, "número");
  const auto numero_plain = find_block(blocks, *mayor + 1, "numero");
  const auto numero_at = numero_label ? numero_label : numero_plain;
  if (!numero_at) return Outcome::parse_error(where + "no 'Número' block after 'PREMIO MAYOR'");
  const auto serie_at = find_block(blocks, *numero_at + 1, "serie");
  if (!serie_at) return Outcome::parse_error(where + "no 'Serie' block after 'Número'");
  const DigitCell numero = digits_after(blocks, *numero_at);
  const DigitCell serie = digits_after(blocks, *serie_at);
  for (const DigitCell* cell : {&numero, &serie}) {
    if (cell->kind == CellKind::kPlaceholder) {
      return Outcome::not_published(where + "premio mayor of sorteo " + sorteo + " not drawn yet");
    }
    if (cell->kind == CellKind::kJunk) {
      return Outcome::parse_error(where + "no digits after the label (found '" + cell->text + "')");
    }
  }
  DrawResult draw;
  draw.date = format_iso(*date);
  draw.draw_number = sorteo;
  draw.numbers = {numero.text};
  draw.series = serie.text;
  draw.source_url = request.source_url;
  draw.raw_sha256 = sha256_hex(body);
  return validate_billete_draw(draw, request.date, rules);
}

}  // namespace

Outcome parse_valle_home(std::string_view body, const PageRequest& request, const BilleteRules& rules) {
  const std::string where = "valle home: ";
  if (std::string problem = html_body_problem(body); !problem.empty()) { return Outcome::parse_error(where + problem); }
  const HtmlDocument doc = HtmlDocument::parse(body);
  // Every "PREMIO MAYOR" on the page heads some lottery's result; the page's header, title and
  // footer say nothing about which. Valle's is the block that names Lotería del Valle (and no
  // other lottery), wherever it sits on the page.
  std::vector<xmlNode*> valle_blocks;
  std::vector<std::string> found;  // what the other blocks turned out to be, for the message
  for (xmlNode* label : doc.select("//text()")) {
    if (label->content == nullptr) continue;
    if (fold_case(collapse_whitespace(reinterpret_cast<const char*>(label->content))) != "premio mayor") continue;
    xmlNode* block = result_block(label);
    std::string what;
    if (block == nullptr) {
      what = "a PREMIO MAYOR outside any result block";
    } else if (std::find(valle_blocks.begin(), valle_blocks.end(), block) != valle_blocks.end()) {
      continue;
    } else if (const auto named = lotteries_named(block); named.size() == 1 && named.front() == kLoteriaDelValle) {
      valle_blocks.push_back(block);
      continue;
    } else {
      what = named.empty() ? "a PREMIO MAYOR block naming no lottery"
                           : "a PREMIO MAYOR block naming " + joined_names(named);
    }
    if (std::find(found.begin(), found.end(), what) == found.end()) found.push_back(std::move(what));
  }
  if (valle_blocks.empty() && found.empty()) { return Outcome::parse_error(where + "no 'PREMIO MAYOR' block in page"); }
  if (valle_blocks.empty()) {
    std::string list;
    for (const auto& what : found) list += (list.empty() ? "" : "; ") + what;
    return Outcome::parse_error(where + "no PREMIO MAYOR block names " + std::string(kLoteriaDelValle) + " (found " +
                                list + "): layout changed or another lottery's result");
  }
  if (valle_blocks.size() > 1) {
    return Outcome::parse_error(where + std::to_string(valle_blocks.size()) + " PREMIO MAYOR blocks name " +
                                std::string(kLoteriaDelValle) + ", expected one");
  }
  return read_block(doc, valle_blocks.front(), body, request, rules);
}

}  // namespace rifa::lottery::valle
