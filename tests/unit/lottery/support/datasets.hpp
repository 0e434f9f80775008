#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "rifa/lottery/baloto/baloto_rules.hpp"
#include "rifa/lottery/draw_result.hpp"

namespace rifa::lottery::testing {

/// ../shared/lottery-data, passed by CMake as RIFA_LOTTERY_DATA_DIR (read in place, never copied).
std::filesystem::path lottery_data_dir();

/// Why a dataset test must skip, or "" when the data folder is there.
std::string missing_data_reason();

/// Whole file as bytes; throws std::runtime_error naming the path when unreadable.
std::string read_file(const std::filesystem::path& path);

/// A real Baloto or Revancha draw from one of the shared datasets.
struct BalotoDraw {
  std::string dataset;  ///< which file it came from, for failure messages
  Date date;
  baloto::Juego juego = baloto::Juego::kBaloto;
  std::optional<int> sorteo;  ///< absent in datasets that do not carry it
  std::vector<int> numbers;
  int superbalota = 0;
};

/// Every Baloto/Revancha draw of BALOTO-STATS-V3/*.json, validador-balotos/historical_results_dump.csv,
/// baloto-datos/baloto.json and baloto-co/*.json.
std::vector<BalotoDraw> load_baloto_draws();

/// A real draw of a billete lottery (Bogotá, Valle) with its secos.
struct BilleteDraw {
  std::string dataset;
  Date date;
  std::optional<int> sorteo;
  std::string numero;  ///< 4 digits
  std::string serie;   ///< 3 digits
  std::vector<SecondaryPrize> secos;
};

/// loteria-bogota-secos/loteriabogota.csv (ordinary draws; each with its mayor and every seco) and
/// the Bogotá entries of analisis-loterias-colombia/resultados_loterias.json.
std::vector<BilleteDraw> load_bogota_draws();

/// The Valle entries of analisis-loterias-colombia/resultados_loterias.json.
std::vector<BilleteDraw> load_valle_draws();

/// The premio mayor draws of any lottery of analisis-loterias-colombia/resultados_loterias.json
/// ("Manizales", "Quindío", …: the key as the file spells it); throws when it has none.
std::vector<BilleteDraw> load_premio_mayor_draws(const std::string& lottery);

/// Splits one CSV line (quotes doubled inside quoted fields).
std::vector<std::string> split_csv_line(const std::string& line, char separator);

}  // namespace rifa::lottery::testing
