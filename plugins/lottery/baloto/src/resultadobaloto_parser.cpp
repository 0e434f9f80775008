#include "rifa/lottery/baloto/resultadobaloto_parser.hpp"

#include <algorithm>
#include <vector>

#include "ball_text.hpp"
#include "rifa/lottery/html_document.hpp"
#include "rifa/lottery/sha256.hpp"
#include "rifa/lottery/spanish_date.hpp"
#include "rifa/lottery/weekly_validation.hpp"

namespace rifa::lottery::baloto {
namespace {

// The headings that title `table`: those of the nearest ancestor holding any heading outside the
// table itself ("Combinación Ganadora de la Baloto del año 2026" in the table's panel).
std::string heading_of(const HtmlDocument& doc, xmlNode* table) {
  // A panel heading counts when it holds no h1–h5 of its own (those are read already).
  const std::string headings = ".//*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or (" +
                               xpath_has_class("panel-heading") +
                               " and not(.//h1 or .//h2 or .//h3 or .//h4 or .//h5))]";
  for (xmlNode* node = table->parent; node != nullptr && node->type == XML_ELEMENT_NODE; node = node->parent) {
    std::string text;
    for (xmlNode* heading : doc.select(headings, node)) {
      bool inside_table = false;
      for (xmlNode* up = heading; up != nullptr && !inside_table; up = up->parent) inside_table = up == table;
      if (!inside_table) text += HtmlDocument::text(heading) + " ";
    }
    if (!text.empty()) return text;
  }
  return {};
}

std::string ascii_lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

}  // namespace

Outcome parse_resultadobaloto_year(std::string_view body, const PageRequest& request, Juego juego,
                                   const BalotoConfig& config) {
  const std::string where = "resultadobaloto: ";
  if (juego != Juego::kBaloto) { return Outcome::parse_error(where + "the year page lists Baloto only, not Revancha"); }
  if (std::string problem = html_body_problem(body); !problem.empty()) { return Outcome::parse_error(where + problem); }
  const HtmlDocument doc = HtmlDocument::parse(body);
  // The prize table on the same page also has a Fecha column; only the winning-combination
  // table holds balls. Which game a table lists is what its heading says, not where it sits.
  const auto tables = doc.select("//table[.//th[contains(., 'Combinaci')]]");
  if (tables.empty()) { return Outcome::parse_error(where + "no table headed 'Combinación Ganadora' in page"); }
  std::vector<xmlNode*> baloto_tables;
  std::string found;
  for (xmlNode* candidate : tables) {
    const std::string heading = ascii_lower(heading_of(doc, candidate));
    const bool names_baloto = heading.find("baloto") != std::string::npos;
    const bool names_revancha = heading.find("revancha") != std::string::npos;
    if (names_baloto && !names_revancha) {
      baloto_tables.push_back(candidate);
    } else {
      found += std::string(found.empty() ? "" : ", ") + "'" + collapse_whitespace(heading_of(doc, candidate)) + "'";
    }
  }
  if (baloto_tables.size() != 1) {
    return Outcome::parse_error(
        where +
        (baloto_tables.empty() ? "no 'Combinación Ganadora' table under a heading naming Baloto alone (found " +
                                     (found.empty() ? std::string("none") : found) + ")"
                               : std::to_string(baloto_tables.size()) +
                                     " 'Combinación Ganadora' tables under headings naming Baloto, expected one") +
        ": layout changed");
  }
  xmlNode* table = baloto_tables.front();
  const auto rows = doc.select(".//tbody/tr", table);
  if (rows.empty()) { return Outcome::not_published(where + "the 'Combinación Ganadora' table is empty"); }
  std::optional<Date> newest;
  std::optional<DrawResult> chosen;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::string at = where + "row " + std::to_string(i + 1) + ": ";
    const auto cells = doc.select("./td", rows[i]);
    if (cells.size() != 3) { return Outcome::parse_error(at + std::to_string(cells.size()) + " cells, expected 3"); }
    const std::string date_text = HtmlDocument::text(cells[0]);
    const auto date = find_spanish_date(date_text);
    if (!date) return Outcome::parse_error(at + "unreadable date '" + date_text + "'");
    if (!newest || to_days(*date) > to_days(*newest)) newest = *date;
    if (*date != request.date) continue;

    DrawResult draw;
    // Balls are printed as separate elements or separated by spaces/dashes; take every number.
    // Two digits each, as baloto.com prints them: a lone digit means a damaged page.
    std::string token;
    const std::string balls_text = HtmlDocument::text(cells[1]) + " ";
    for (char c : balls_text) {
      if (c >= '0' && c <= '9') {
        token.push_back(c);
      } else if (!token.empty()) {
        const auto ball = detail::read_ball(token);
        if (ball.kind != detail::BallKind::kNumber) {
          return Outcome::parse_error(at + "ball '" + token + "' is not a number");
        }
        draw.numbers.push_back(ball.digits);
        token.clear();
      }
    }
    if (draw.numbers.empty()) {
      return Outcome::not_published(where + "balls for " + format_iso(*date) + " not drawn yet");
    }
    if (!std::is_sorted(draw.numbers.begin(), draw.numbers.end())) {
      return Outcome::parse_error(at + "balls not in ascending order (" + detail::joined(draw.numbers) +
                                  "): damaged page");
    }
    const auto superbalota = detail::read_ball(HtmlDocument::text(cells[2]));
    if (superbalota.kind == detail::BallKind::kPlaceholder) {
      return Outcome::not_published(where + "superbalota for " + format_iso(*date) + " not drawn yet");
    }
    if (superbalota.kind == detail::BallKind::kJunk) {
      return Outcome::parse_error(at + "superbalota '" + superbalota.digits + "' is not a number");
    }
    draw.extra["superbalota"] = superbalota.digits;
    const auto range = config.schedule.expected_sorteo(*date);
    if (range && range->min != range->max) {
      return Outcome::validation_error(where + "the page prints no sorteo and the calendar allows " + describe(*range) +
                                       " for " + format_iso(*date));
    }
    draw.draw_number = range ? std::to_string(range->min) : "";
    draw.date = format_iso(*date);
    draw.source_url = request.source_url;
    draw.raw_sha256 = sha256_hex(body);
    if (chosen && !(*chosen == draw)) {
      return Outcome::validation_error(where + "two rows dated " + format_iso(*date) + " disagree");
    }
    chosen = std::move(draw);
  }
  if (chosen) return validate_baloto_draw(*chosen, request.date, juego, config);
  if (newest && to_days(request.date) < to_days(*newest)) {
    return Outcome::validation_error(where + "no row dated " + format_iso(request.date) + " though the table runs to " +
                                     format_iso(*newest));
  }
  return Outcome::not_published(where + "no row dated " + format_iso(request.date) + " yet");
}

}  // namespace rifa::lottery::baloto
