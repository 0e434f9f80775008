// Pages parsed per second by each lottery parser, on pages rendered like the real sites (the
// renderers of tests/unit/lottery). Prints the machine it ran on. Not a test.
//   lottery_parse_bench [seconds_per_parser]   (default 1)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "renderers.hpp"
#include "rifa/lottery/digits.hpp"
#include "rifa/lottery/baloto/draw_page_parser.hpp"
#include "rifa/lottery/baloto/listing_parser.hpp"
#include "rifa/lottery/bogota/bogota_rules.hpp"
#include "rifa/lottery/bogota/results_page_parser.hpp"
#include "rifa/lottery/valle/home_page_parser.hpp"
#include "rifa/lottery/valle/json_parser.hpp"
#include "rifa/lottery/valle/valle_rules.hpp"

namespace lt = rifa::lottery;

namespace {

lt::Date ymd(int y, unsigned m, unsigned d) {
  return lt::Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

std::string cpu_model() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  }
  return "unknown";
}

void bench(const char* name, std::size_t bytes, double seconds, const std::function<bool()>& parse_once) {
  if (!parse_once()) {
    std::printf("%-28s FAILED to parse its page\n", name);
    return;
  }
  const auto start = std::chrono::steady_clock::now();
  const auto until = start + std::chrono::duration<double>(seconds);
  long pages = 0;
  while (std::chrono::steady_clock::now() < until) {
    for (int i = 0; i < 16; ++i) parse_once();
    pages += 16;
  }
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%-28s %8.0f pages/s  %8.1f us/page  (%zu-byte page)\n", name, pages / elapsed, 1e6 * elapsed / pages,
              bytes);
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 1.0;
  std::printf("lottery parser bench: 1 thread, %u hardware threads (nproc), CPU: %s\n",
              std::thread::hardware_concurrency(), cpu_model().c_str());

  // Real draws: the official listing of 31 Dec 2025 (5 nights x Baloto/Revancha), Baloto 2576,
  // Bogotá 2216 with three secos, Valle 4864 and its neighbours.
  using lt::baloto::Juego;
  const std::vector<lt::testing::BalotoRow> rows = {
      {ymd(2025, 12, 31), Juego::kBaloto, 2599, {"22", "24", "27", "37", "40"}, "08"},
      {ymd(2025, 12, 31), Juego::kRevancha, 2599, {"09", "13", "19", "41", "43"}, "16"},
      {ymd(2025, 12, 29), Juego::kBaloto, 2598, {"08", "17", "21", "36", "39"}, "15"},
      {ymd(2025, 12, 29), Juego::kRevancha, 2598, {"11", "15", "23", "36", "42"}, "08"},
      {ymd(2025, 12, 27), Juego::kBaloto, 2597, {"05", "17", "18", "32", "41"}, "06"},
      {ymd(2025, 12, 27), Juego::kRevancha, 2597, {"04", "15", "22", "35", "41"}, "03"},
      {ymd(2025, 12, 24), Juego::kBaloto, 2596, {"08", "09", "15", "23", "35"}, "15"},
      {ymd(2025, 12, 24), Juego::kRevancha, 2596, {"14", "18", "27", "34", "40"}, "07"},
      {ymd(2025, 12, 22), Juego::kBaloto, 2595, {"04", "17", "19", "32", "42"}, "15"},
      {ymd(2025, 12, 22), Juego::kRevancha, 2595, {"09", "24", "27", "35", "42"}, "04"},
  };
  const auto baloto_config = lt::baloto::default_baloto_config();
  const std::string listing = lt::testing::render_baloto_listing(rows);
  bench("baloto listing (10 rows)", listing.size(), seconds, [&] {
    return lt::baloto::parse_baloto_listing(listing, {ymd(2025, 12, 24), "u"}, Juego::kRevancha, baloto_config).is_ok();
  });
  const lt::testing::BalotoRow jackpot{ymd(2025, 11, 8), Juego::kBaloto, 2576, {"01", "06", "18", "21", "24"}, "12"};
  const std::string draw_page = lt::testing::render_baloto_draw_page(jackpot);
  bench("baloto per-draw page", draw_page.size(), seconds, [&] {
    return lt::baloto::parse_baloto_draw_page(draw_page, {jackpot.date, "u"}, Juego::kBaloto, baloto_config).is_ok();
  });

  const auto bogota_rules = lt::bogota::default_bogota_rules();
  const lt::testing::BilletePage bogota{2216,
                                        ymd(2014, 1, 2),
                                        "4316",
                                        "048",
                                        {{"PREMIO SECO $10 MILLONES", "5777", "041", 1'000'000'000},
                                         {"PREMIO SECO $10 MILLONES", "1873", "110", 1'000'000'000},
                                         {"PREMIO SECO $10 MILLONES", "6850", "067", 1'000'000'000}}};
  const std::string bogota_page = lt::testing::render_bogota_page(bogota);
  bench("bogota results page", bogota_page.size(), seconds, [&] {
    return lt::bogota::parse_bogota_results(bogota_page, {bogota.date, "u"}, bogota_rules).is_ok();
  });

  const auto valle_rules = lt::valle::default_valle_rules();
  std::vector<lt::testing::BilletePage> valle;
  // A full tabla_normal lists every draw; 200 weekly entries back from 4864 (numbers synthetic
  // except the first, which is real) give it a realistic size.
  for (int i = 0; i < 200; ++i) {
    valle.push_back({4864 - i,
                     lt::add_days(ymd(2026, 9, 2), -7 * i),
                     i == 0 ? "9164" : lt::pad_digits(i * 37 % 10000, 4),
                     i == 0 ? "113" : lt::pad_digits(i % 400, 3),
                     {}});
  }
  const std::string tabla = lt::testing::render_valle_tabla_normal(valle);
  bench("valle json (200 entries)", tabla.size(), seconds, [&] {
    return lt::valle::parse_valle_tabla_normal(tabla, {ymd(2026, 9, 2), "u"}, valle_rules).is_ok();
  });
  const std::string home = lt::testing::render_valle_home(valle.front());
  bench("valle home page", home.size(), seconds, [&] {
    return lt::valle::parse_valle_home(home, {ymd(2026, 9, 2), "u"}, valle_rules).is_ok();
  });
  return 0;
}
