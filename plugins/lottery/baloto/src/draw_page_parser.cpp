#include "rifa/lottery/baloto/draw_page_parser.hpp"

#include <algorithm>

#include "ball_text.hpp"
#include "rifa/lottery/html_document.hpp"
#include "rifa/lottery/sha256.hpp"
#include "rifa/lottery/spanish_date.hpp"

namespace rifa::lottery::baloto {
namespace {

std::string ascii_lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

}  // namespace

Outcome parse_baloto_draw_page(std::string_view body, const PageRequest& request, Juego juego,
                               const BalotoConfig& config) {
  const std::string where = "baloto draw page: ";
  if (std::string problem = html_body_problem(body); !problem.empty()) { return Outcome::parse_error(where + problem); }
  const HtmlDocument doc = HtmlDocument::parse(body);
  xmlNode* container = doc.first("//*[@id='balotoBgNew']");
  if (container == nullptr) return Outcome::parse_error(where + "no #balotoBgNew in page");

  // The page is for the game its logo names. Both logos, or two sets of balls, and the page no
  // longer says whose balls are whose: the first one found is not a guess worth a payout.
  std::optional<Juego> page_juego;
  for (xmlNode* image : doc.select(".//img[@src]", container)) {
    const std::string src = ascii_lower(HtmlDocument::attribute(image, "src"));
    const std::string file = src.substr(src.find_last_of('/') == std::string::npos ? 0 : src.find_last_of('/') + 1);
    std::optional<Juego> named;
    if (file.find("revancha") != std::string::npos) named = Juego::kRevancha;
    else if (file.find("baloto") != std::string::npos) named = Juego::kBaloto;
    if (!named) continue;
    if (page_juego && *page_juego != *named) {
      return Outcome::parse_error(where + "both a Baloto and a Revancha logo in #balotoBgNew: layout changed");
    }
    page_juego = named;
  }
  if (!page_juego) { return Outcome::parse_error(where + "no Baloto/Revancha logo image in #balotoBgNew"); }
  if (*page_juego != juego) {
    return Outcome::validation_error(where + "page is for " + std::string(to_string(*page_juego)) + ", asked for " +
                                     std::string(to_string(juego)));
  }

  std::string sorteo;
  std::optional<Date> date;
  for (const std::string& block : doc.text_blocks(container)) {
    const std::string upper_prefix = block.substr(0, 7);
    if (sorteo.empty() && (upper_prefix == "SORTEO " || upper_prefix == "Sorteo ")) {
      const std::string rest = block.substr(7);
      // "2.576": digits with thousands dots only.
      if (!rest.empty() && rest.find_first_not_of("0123456789.") == std::string::npos) { sorteo = digits_of(rest); }
    }
    if (!date) date = find_spanish_date(block);
  }
  if (sorteo.empty()) return Outcome::parse_error(where + "no 'SORTEO <n>' in #balotoBgNew");
  if (!date) return Outcome::parse_error(where + "no draw date in #balotoBgNew");

  const auto ball_blocks = doc.select(".//*[" + xpath_has_class("container-balls-results") + "]", container);
  if (ball_blocks.empty()) return Outcome::parse_error(where + "no .container-balls-results in #balotoBgNew");
  if (ball_blocks.size() != 1) {
    return Outcome::parse_error(where + std::to_string(ball_blocks.size()) +
                                " .container-balls-results in #balotoBgNew, expected 1: layout changed");
  }
  xmlNode* balls = ball_blocks.front();
  const auto yellow = doc.select(".//*[" + xpath_has_class("yellow-ball") + "]", balls);
  const auto red = doc.select(".//*[" + xpath_has_class("red-ball") + "]", balls);
  const bool red_blank = std::all_of(red.begin(), red.end(), [](xmlNode* node) {
    return detail::read_ball(HtmlDocument::text(node)).kind == detail::BallKind::kPlaceholder;
  });
  if (yellow.empty() && red_blank) { return Outcome::not_published(where + "no balls drawn yet for sorteo " + sorteo); }
  DrawResult draw;
  for (xmlNode* node : yellow) {
    const auto ball = detail::read_ball(HtmlDocument::text(node));
    if (ball.kind == detail::BallKind::kPlaceholder) {
      return Outcome::not_published(where + "balls not drawn yet for sorteo " + sorteo);
    }
    if (ball.kind == detail::BallKind::kJunk) {
      return Outcome::parse_error(where + "ball '" + ball.digits + "' is not a number");
    }
    draw.numbers.push_back(ball.digits);
  }
  if (yellow.size() != 5) {
    return Outcome::parse_error(where + std::to_string(yellow.size()) + " .yellow-ball, expected 5");
  }
  if (!std::is_sorted(draw.numbers.begin(), draw.numbers.end())) {
    return Outcome::parse_error(where + "balls not in ascending order (" + detail::joined(draw.numbers) +
                                "): damaged page");
  }
  if (red.size() != 1) { return Outcome::parse_error(where + std::to_string(red.size()) + " .red-ball, expected 1"); }
  const auto superbalota = detail::read_ball(HtmlDocument::text(red.front()));
  if (superbalota.kind == detail::BallKind::kPlaceholder) {
    return Outcome::not_published(where + "superbalota not drawn yet for sorteo " + sorteo);
  }
  if (superbalota.kind == detail::BallKind::kJunk) {
    return Outcome::parse_error(where + "superbalota '" + superbalota.digits + "' is not a number");
  }
  draw.extra["superbalota"] = superbalota.digits;
  draw.date = format_iso(*date);
  draw.draw_number = sorteo;
  draw.source_url = request.source_url;
  draw.raw_sha256 = sha256_hex(body);
  return validate_baloto_draw(draw, request.date, juego, config);
}

}  // namespace rifa::lottery::baloto
