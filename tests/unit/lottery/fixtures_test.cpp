#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "datasets.hpp"
#include "rifa/lottery/baloto/draw_page_parser.hpp"
#include "rifa/lottery/baloto/listing_parser.hpp"
#include "rifa/lottery/bogota/bogota_rules.hpp"
#include "rifa/lottery/bogota/results_page_parser.hpp"
#include "rifa/lottery/spanish_date.hpp"
#include "rifa/lottery/valle/home_page_parser.hpp"
#include "rifa/lottery/valle/json_parser.hpp"
#include "rifa/lottery/valle/valle_rules.hpp"

// The committed QA pages (tests/unit/lottery/fixtures/, written by lottery_render_fixtures from
// real draws) parse to the result recorded next to each.
namespace rifa::lottery {
namespace {

Outcome parse_case(const nlohmann::json& entry, const std::string& body) {
  const PageRequest request{*parse_iso_date(entry.at("date").get<std::string>()), entry.at("url").get<std::string>()};
  const std::string parser = entry.at("parser");
  const auto juego = entry.value("juego", "baloto") == "revancha" ? baloto::Juego::kRevancha : baloto::Juego::kBaloto;
  static const auto kBaloto = baloto::default_baloto_config();
  static const auto kBogota = bogota::default_bogota_rules();
  static const auto kValle = valle::default_valle_rules();
  if (parser == "baloto_listing") return baloto::parse_baloto_listing(body, request, juego, kBaloto);
  if (parser == "baloto_draw_page") return baloto::parse_baloto_draw_page(body, request, juego, kBaloto);
  if (parser == "bogota_results") return bogota::parse_bogota_results(body, request, kBogota);
  if (parser == "valle_tabla_normal") return valle::parse_valle_tabla_normal(body, request, kValle);
  if (parser == "valle_home") return valle::parse_valle_home(body, request, kValle);
  return Outcome::parse_error("unknown parser " + parser);
}

TEST(QaFixtures, EachCommittedPageParsesToItsRecordedResult) {
  const std::filesystem::path dir = RIFA_LOTTERY_FIXTURE_DIR;
  const auto cases = nlohmann::json::parse(testing::read_file(dir / "cases.json"));
  ASSERT_GE(cases.size(), 6u);
  for (const auto& entry : cases) {
    const std::string file = entry.at("file");
    const std::string body = testing::read_file(dir / file);
    const Outcome outcome = parse_case(entry, body);
    ASSERT_EQ(std::string(to_string(outcome.kind())), entry.at("outcome").get<std::string>())
        << file << ": " << outcome.message();
    if (outcome.is_ok()) {
      EXPECT_EQ(to_json(outcome.draw()), entry.at("result")) << file;
    } else {
      EXPECT_EQ(outcome.message(), entry.at("message").get<std::string>()) << file;
    }
  }
}

}  // namespace
}  // namespace rifa::lottery
