#include "rifa/lottery/baloto/listing_parser.hpp"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "ball_text.hpp"
#include "listing_banner.hpp"
#include "rifa/lottery/html_document.hpp"
#include "rifa/lottery/sha256.hpp"
#include "rifa/lottery/spanish_date.hpp"

namespace rifa::lottery::baloto {
namespace {

constexpr const char* kWhere = "baloto listing: ";

struct Row {
  int index = 0;  // 1-based, for messages
  Juego juego = Juego::kBaloto;
  Date date;
  xmlNode* result_cell = nullptr;
  std::string link;
};

std::optional<Juego> juego_from(std::string_view text, std::string_view baloto_marker,
                                std::string_view revancha_marker) {
  if (text.find(revancha_marker) != std::string_view::npos) return Juego::kRevancha;
  if (text.find(baloto_marker) != std::string_view::npos) return Juego::kBaloto;
  return std::nullopt;
}

// "/resultados-baloto/2599" or ".../2599/" → "2599"; "" when the link has no such segment.
std::string sorteo_from_link(const std::string& link) {
  for (std::string_view marker : {"/resultados-baloto/", "/resultados-revancha/"}) {
    const auto pos = link.find(marker);
    if (pos == std::string::npos) continue;
    std::string rest = link.substr(pos + marker.size());
    rest = rest.substr(0, rest.find_first_of("/?#"));
    if (is_all_digits(rest) && rest.size() <= 6) return rest;
  }
  return {};
}

}  // namespace

Outcome parse_baloto_listing(std::string_view body, const PageRequest& request, Juego juego,
                             const BalotoConfig& config) {
  const std::string where = kWhere;
  if (std::string problem = html_body_problem(body); !problem.empty()) { return Outcome::parse_error(where + problem); }
  const HtmlDocument doc = HtmlDocument::parse(body);
  xmlNode* table = doc.first("//table[@id='results-table']");
  if (table == nullptr) return Outcome::parse_error(where + "no table#results-table in page");
  const auto row_nodes = doc.select("./tbody/tr", table);
  if (row_nodes.empty()) return Outcome::not_published(where + "table#results-table has no rows");

  std::vector<Row> rows;
  for (std::size_t i = 0; i < row_nodes.size(); ++i) {
    const std::string at = where + "row " + std::to_string(i + 1) + ": ";
    const auto cells = doc.select("./td", row_nodes[i]);
    if (cells.size() < 4) { return Outcome::parse_error(at + std::to_string(cells.size()) + " cells, expected 4"); }
    Row row;
    row.index = static_cast<int>(i + 1);
    const std::string image = HtmlDocument::attribute(doc.first(".//img", cells[0]), "src");
    row.link = HtmlDocument::attribute(doc.first(".//a[@href]", cells[3]), "href");
    const auto by_image = juego_from(image, "baloto-kind", "revancha-kind");
    const auto by_link = juego_from(row.link, "/resultados-baloto/", "/resultados-revancha/");
    // Which game a row is comes only from its own image and link, never from where it sits
    // (Baloto first is the site's habit, not a rule); both must be there and agree.
    if (!by_image && !by_link) {
      return Outcome::parse_error(at + "no baloto-kind/revancha-kind image and no detail link");
    }
    if (!by_image || !by_link) {
      const Juego said = by_image ? *by_image : *by_link;
      return Outcome::parse_error(at + (by_image ? "no detail link" : "no baloto-kind/revancha-kind image") + " (the " +
                                  (by_image ? "image" : "link") + " alone says " + std::string(to_string(said)) +
                                  "): layout changed");
    }
    if (*by_image != *by_link) {
      return Outcome::parse_error(at + "image says " + std::string(to_string(*by_image)) + " but the link says " +
                                  std::string(to_string(*by_link)));
    }
    row.juego = *by_image;
    const std::string date_text = HtmlDocument::text(cells[1]);
    const auto date = find_spanish_date(date_text);
    if (!date) return Outcome::parse_error(at + "unreadable date '" + date_text + "'");
    row.date = *date;
    row.result_cell = cells[2];
    rows.push_back(std::move(row));
  }

  const Date& wanted = request.date;
  Date newest = rows.front().date;
  Date oldest = rows.front().date;
  std::vector<const Row*> matches;
  for (const auto& row : rows) {
    if (to_days(row.date) > to_days(newest)) newest = row.date;
    if (to_days(row.date) < to_days(oldest)) oldest = row.date;
    if (row.date == wanted && row.juego == juego) matches.push_back(&row);
  }
  if (matches.empty()) {
    if (to_days(wanted) > to_days(newest)) {
      return Outcome::not_published(where + "newest draw on the page is " + format_iso(newest));
    }
    if (to_days(wanted) < to_days(oldest)) {
      return Outcome::parse_error(where + format_iso(wanted) + " is older than this page (" + format_iso(oldest) +
                                  " … " + format_iso(newest) + ")");
    }
    if (!config.schedule.is_draw_day(wanted)) {
      return Outcome::validation_error("baloto: " + format_iso(wanted) + " (" +
                                       std::string(spanish_weekday(weekday_of(wanted))) + ") is not a draw day");
    }
    return Outcome::validation_error(where + "no " + std::string(to_string(juego)) + " row dated " +
                                     format_iso(wanted) + " though the page covers " + format_iso(oldest) + " … " +
                                     format_iso(newest));
  }

  std::optional<DrawResult> chosen;
  for (const Row* row : matches) {
    const std::string at = where + "row " + std::to_string(row->index) + ": ";
    xmlNode* red = doc.first(".//*[" + xpath_has_class("balota-red-results") + "]", row->result_cell);
    const std::string cell_text = HtmlDocument::text(row->result_cell);
    if (red == nullptr) {
      if (looks_like_placeholder(cell_text)) {
        return Outcome::not_published(where + "balls not drawn yet ('" + cell_text + "')");
      }
      return Outcome::parse_error(at + "no span.balota-red-results");
    }
    DrawResult draw;
    draw.date = format_iso(row->date);
    std::string main_text;
    for (xmlNode* text : doc.select("./text()", row->result_cell)) {
      main_text += reinterpret_cast<const char*>(text->content);
    }
    std::string token;
    std::vector<std::string> tokens;
    for (char c : main_text + "-") {
      if (c == '-') {
        tokens.push_back(collapse_whitespace(token));
        token.clear();
      } else {
        token.push_back(c);
      }
    }
    // "22 - 24 - 27 - 37 - 40 - " leaves one empty token after the last dash.
    if (!tokens.empty() && tokens.back().empty()) tokens.pop_back();
    for (const auto& piece : tokens) {
      const auto ball = detail::read_ball(piece);
      if (ball.kind == detail::BallKind::kPlaceholder) {
        return Outcome::not_published(where + "balls not drawn yet ('" + cell_text + "')");
      }
      if (ball.kind == detail::BallKind::kJunk) {
        return Outcome::parse_error(at + "ball '" + ball.digits + "' is not a number");
      }
      draw.numbers.push_back(ball.digits);
    }
    // Equal balls are left to the validator ("drawn twice"); only a wrong order means damage.
    if (!std::is_sorted(draw.numbers.begin(), draw.numbers.end())) {
      return Outcome::parse_error(at + "balls not in ascending order (" + detail::joined(draw.numbers) +
                                  "): damaged page");
    }
    const auto superbalota = detail::read_ball(HtmlDocument::text(red));
    if (superbalota.kind == detail::BallKind::kPlaceholder) {
      return Outcome::not_published(where + "superbalota not drawn yet ('" + cell_text + "')");
    }
    if (superbalota.kind == detail::BallKind::kJunk) {
      return Outcome::parse_error(at + "superbalota '" + superbalota.digits + "' is not a number");
    }
    draw.extra["superbalota"] = superbalota.digits;
    const std::string sorteo = sorteo_from_link(row->link);
    if (sorteo.empty()) return Outcome::parse_error(at + "no detail link /resultados-<juego>/<sorteo>");
    draw.draw_number = sorteo;
    draw.source_url = request.source_url;
    if (chosen && !(*chosen == draw)) {
      return Outcome::validation_error(where + "two " + std::string(to_string(juego)) + " rows dated " +
                                       format_iso(wanted) + " disagree");
    }
    chosen = std::move(draw);
  }
  chosen->raw_sha256 = sha256_hex(body);
  Outcome validated = validate_baloto_draw(*chosen, request.date, juego, config);
  if (!validated.is_ok()) return validated;
  if (auto refusal = detail::check_listing_banner(doc, validated.draw(), juego)) return std::move(*refusal);
  return validated;
}

}  // namespace rifa::lottery::baloto
