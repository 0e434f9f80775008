#include "listing_banner.hpp"

#include <string>
#include <vector>

#include "ball_text.hpp"
#include "rifa/lottery/digits.hpp"
#include "rifa/lottery/spanish_date.hpp"

namespace rifa::lottery::baloto::detail {
namespace {

const std::string kWhere = "baloto listing: banner: ";

std::string lower_file_name(const std::string& src) {
  std::string file = src.substr(src.find_last_of('/') == std::string::npos ? 0 : src.find_last_of('/') + 1);
  for (char& c : file) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return file;
}

std::optional<Juego> juego_of_logo(const xmlNode* image) {
  const std::string file = lower_file_name(HtmlDocument::attribute(image, "src"));
  if (file.find("revancha") != std::string::npos) return Juego::kRevancha;
  if (file.find("baloto") != std::string::npos) return Juego::kBaloto;
  return std::nullopt;
}

std::string joined_draw(const std::vector<std::string>& numbers, const std::string& superbalota) {
  return joined(numbers) + " + " + superbalota;
}

}  // namespace

std::optional<Outcome> check_listing_banner(const HtmlDocument& doc, const DrawResult& draw, Juego juego) {
  xmlNode* banner = doc.first("//*[@id='container-banner-results']");
  if (banner == nullptr) return std::nullopt;
  std::optional<Date> shown;
  for (const std::string& block : doc.text_blocks(banner)) {
    if ((shown = find_spanish_date(block))) break;
  }
  if (!shown || format_iso(*shown) != draw.date) return std::nullopt;

  const std::string game(to_string(juego));
  const std::string night = " for " + draw.date;
  // "Resultado sorteo #2599": the night's sorteo, shared by both games.
  const std::string heading = HtmlDocument::text(doc.first(".//h2", banner));
  if (const auto hash = heading.find('#'); hash != std::string::npos) {
    const std::string sorteo = digits_of(heading.substr(hash + 1));
    if (!sorteo.empty() && sorteo != draw.draw_number) {
      return Outcome::validation_error(kWhere + std::string("shows sorteo ") + sorteo + night + ", the " + game +
                                       " row links sorteo " + draw.draw_number);
    }
  }

  // Each game's block is the nearest element around its logo that holds balls; a block holding
  // both logos says nothing about which balls are whose.
  const std::string yellow = ".//*[" + xpath_has_class("yellow-ball") + "]";
  const std::string red = ".//*[" + xpath_has_class("red-ball") + "]";
  std::vector<xmlNode*> blocks;
  for (xmlNode* image : doc.select(".//img[@src]", banner)) {
    if (juego_of_logo(image) != juego) continue;
    xmlNode* block = image->parent;
    while (block != nullptr && block != banner && doc.first(yellow, block) == nullptr) block = block->parent;
    if (block == nullptr || block == banner) continue;
    bool other_logo = false;
    for (xmlNode* inner : doc.select(".//img[@src]", block)) {
      const auto named = juego_of_logo(inner);
      other_logo = other_logo || (named && *named != juego);
    }
    if (!other_logo) blocks.push_back(block);
  }
  if (blocks.size() != 1) {
    return Outcome::parse_error(kWhere + std::string("shows ") + draw.date + " but " +
                                (blocks.empty()
                                     ? "no block in it carries the " + game + " logo alone"
                                     : std::to_string(blocks.size()) + " blocks carry the " + game + " logo") +
                                ": layout changed");
  }
  std::vector<std::string> numbers;
  for (xmlNode* node : doc.select(yellow, blocks.front())) {
    const Ball ball = read_ball(HtmlDocument::text(node));
    if (ball.kind == BallKind::kPlaceholder) {
      return Outcome::not_published(kWhere + game + " balls" + night + " not shown yet");
    }
    if (ball.kind == BallKind::kJunk) {
      return Outcome::parse_error(kWhere + game + " ball '" + ball.digits + "' is not a number");
    }
    numbers.push_back(ball.digits);
  }
  const auto reds = doc.select(red, blocks.front());
  if (numbers.size() != 5 || reds.size() != 1) {
    return Outcome::parse_error(kWhere + "the " + game + " block has " + std::to_string(numbers.size()) +
                                " .yellow-ball and " + std::to_string(reds.size()) + " .red-ball, expected 5 and 1");
  }
  const Ball superbalota = read_ball(HtmlDocument::text(reds.front()));
  if (superbalota.kind == BallKind::kPlaceholder) {
    return Outcome::not_published(kWhere + game + " superbalota" + night + " not shown yet");
  }
  if (superbalota.kind == BallKind::kJunk) {
    return Outcome::parse_error(kWhere + game + " superbalota '" + superbalota.digits + "' is not a number");
  }
  const auto row_superbalota = draw.extra.find("superbalota");
  const std::string row_red = row_superbalota == draw.extra.end() ? "" : row_superbalota->second;
  if (numbers != draw.numbers || superbalota.digits != row_red) {
    return Outcome::validation_error(kWhere + "the " + game + " row" + night + " reads " +
                                     joined_draw(draw.numbers, row_red) + " but the banner's " + game +
                                     " block reads " + joined_draw(numbers, superbalota.digits) +
                                     ": rows swapped or page damaged");
  }
  return std::nullopt;
}

}  // namespace rifa::lottery::baloto::detail
