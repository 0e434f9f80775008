// Writes the handful of QA pages committed in tests/unit/lottery/fixtures/: pages in the real
// sites' structure filled with real draws from ../shared/lottery-data, plus cases.json with what
// each must parse to. Run by hand after changing a renderer:
//   lottery_render_fixtures tests/unit/lottery/fixtures
#include <filesystem>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "datasets.hpp"
#include "renderers.hpp"
#include "rifa/lottery/baloto/draw_page_parser.hpp"
#include "rifa/lottery/baloto/listing_parser.hpp"
#include "rifa/lottery/bogota/bogota_rules.hpp"
#include "rifa/lottery/bogota/results_page_parser.hpp"
#include "rifa/lottery/digits.hpp"
#include "rifa/lottery/spanish_date.hpp"
#include "rifa/lottery/valle/home_page_parser.hpp"
#include "rifa/lottery/valle/json_parser.hpp"
#include "rifa/lottery/valle/valle_rules.hpp"

namespace lt = rifa::lottery;
using nlohmann::json;

namespace {

json record(const std::filesystem::path& dir, const std::string& file, const std::string& body,
            const std::string& parser, const std::string& date, const std::string& url, const std::string& juego,
            const lt::Outcome& outcome) {
  std::ofstream(dir / file, std::ios::binary) << body;
  json entry = {{"file", file},
                {"parser", parser},
                {"date", date},
                {"url", url},
                {"outcome", std::string(lt::to_string(outcome.kind()))}};
  if (!juego.empty()) entry["juego"] = juego;
  if (outcome.is_ok()) {
    entry["result"] = lt::to_json(outcome.draw());
  } else {
    entry["message"] = outcome.message();
  }
  return entry;
}

lt::testing::BalotoRow row_of(const lt::testing::BalotoDraw& draw) {
  lt::testing::BalotoRow row{draw.date, draw.juego, *draw.sorteo, {}, lt::pad_digits(draw.superbalota, 2)};
  for (int ball : draw.numbers) row.numbers.push_back(lt::pad_digits(ball, 2));
  return row;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: lottery_render_fixtures OUTPUT_DIR\n";
    return 2;
  }
  if (const auto why = lt::testing::missing_data_reason(); !why.empty()) {
    std::cerr << why << "\n";
    return 1;
  }
  const std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir);
  json cases = json::array();
  const auto baloto_config = lt::baloto::default_baloto_config();

  // Baloto listing across the June 2025 change (first Monday draw 2508 on 2025-06-02).
  std::vector<lt::testing::BalotoRow> rows;
  for (const auto& draw : lt::testing::load_baloto_draws()) {
    if (draw.dataset.rfind("resultados_2021", 0) != 0) continue;
    const auto iso = lt::format_iso(draw.date);
    if (iso >= "2025-05-28" && iso <= "2025-06-07") rows.push_back(row_of(draw));
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    if (a.date != b.date) return lt::to_days(a.date) > lt::to_days(b.date);
    return a.juego < b.juego;
  });
  const std::string listing = lt::testing::render_baloto_listing(rows);
  const std::string listing_url = "https://baloto.com/resultados?page=20";
  for (const auto& [date, juego] :
       {std::pair{"2025-06-02", lt::baloto::Juego::kBaloto}, std::pair{"2025-05-31", lt::baloto::Juego::kRevancha}}) {
    const lt::PageRequest request{*lt::parse_iso_date(date), listing_url};
    cases.push_back(record(dir, "baloto_listing_2025-06-07.html", listing, "baloto_listing", date, listing_url,
                           juego == lt::baloto::Juego::kBaloto ? "baloto" : "revancha",
                           lt::baloto::parse_baloto_listing(listing, request, juego, baloto_config)));
  }
  for (const auto& row : rows) {
    if (lt::format_iso(row.date) != "2025-06-02") continue;
    const bool revancha = row.juego == lt::baloto::Juego::kRevancha;
    const std::string url =
        std::string("https://www.baloto.com/resultados-") + (revancha ? "revancha" : "baloto") + "/2508/";
    const std::string page = lt::testing::render_baloto_draw_page(row);
    const std::string file = std::string(revancha ? "revancha" : "baloto") + "_draw_2508.html";
    cases.push_back(record(dir, file, page, "baloto_draw_page", "2025-06-02", url, revancha ? "revancha" : "baloto",
                           lt::baloto::parse_baloto_draw_page(page, {row.date, url}, row.juego, baloto_config)));
  }

  // Bogotá: sorteo 2668, moved to Saturday 2022-12-10 (8 December holiday), with its secos; and
  // the same page before the balls are in.
  const auto bogota_rules = lt::bogota::default_bogota_rules();
  for (const auto& draw : lt::testing::load_bogota_draws()) {
    if (draw.sorteo != 2668) continue;
    const lt::testing::BilletePage page{2668, draw.date, draw.numero, draw.serie, draw.secos};
    const std::string url = "https://loteriadebogota.com/resultados/";
    std::string body = lt::testing::render_bogota_page(page);
    cases.push_back(record(dir, "bogota_2668.html", body, "bogota_results", "2022-12-10", url, "",
                           lt::bogota::parse_bogota_results(body, {draw.date, url}, bogota_rules)));
    lt::testing::BilletePage pending = page;
    pending.numero = "XXXX";
    pending.serie = "XXX";
    pending.secos.clear();
    body = lt::testing::render_bogota_page(pending);
    cases.push_back(record(dir, "bogota_2668_pending.html", body, "bogota_results", "2022-12-10", url, "",
                           lt::bogota::parse_bogota_results(body, {draw.date, url}, bogota_rules)));
  }

  // Valle: the JSON list and the home page of sorteo 4864 (2026-09-02).
  const auto valle_rules = lt::valle::default_valle_rules();
  std::vector<lt::testing::BilletePage> valle = {{4864, *lt::parse_iso_date("2026-09-02"), "9164", "113", {}},
                                                 {4826, *lt::parse_iso_date("2025-12-10"), "4494", "277", {}}};
  for (const auto& draw : lt::testing::load_valle_draws()) {
    valle.push_back({valle_rules.schedule.expected_sorteo(draw.date)->min, draw.date, draw.numero, draw.serie, {}});
  }
  const std::string json_url = "https://loteriadelvalle.com/resultado_v2/controladores/revisar_controlador.php";
  const std::string tabla = lt::testing::render_valle_tabla_normal(valle);
  cases.push_back(
      record(dir, "valle_tabla_normal.json", tabla, "valle_tabla_normal", "2025-10-29", json_url, "",
             lt::valle::parse_valle_tabla_normal(tabla, {*lt::parse_iso_date("2025-10-29"), json_url}, valle_rules)));
  const std::string home = lt::testing::render_valle_home(valle.front());
  cases.push_back(
      record(dir, "valle_home_4864.html", home, "valle_home", "2026-09-02", "https://loteriadelvalle.com", "",
             lt::valle::parse_valle_home(home, {valle.front().date, "https://loteriadelvalle.com"}, valle_rules)));
  std::ofstream(dir / "cases.json") << cases.dump(2) << "\n";
  std::cout << "wrote " << cases.size() << " cases to " << dir << "\n";
  return 0;
}
