#include "datasets.hpp"

#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "rifa/lottery/digits.hpp"
#include "rifa/lottery/spanish_date.hpp"

namespace rifa::lottery::testing {
namespace {

using nlohmann::json;

Date iso(const std::string& text) {
  auto date = parse_iso_date(text.substr(0, 10));
  if (!date) throw std::runtime_error("dataset: bad ISO date '" + text + "'");
  return *date;
}

json read_json(const std::filesystem::path& path) { return json::parse(read_file(path)); }

void add_stats_file(const std::filesystem::path& path, std::vector<BalotoDraw>& out) {
  const json data = read_json(path);
  for (const auto& [key, juego] :
       {std::pair{"baloto", baloto::Juego::kBaloto}, std::pair{"revancha", baloto::Juego::kRevancha}}) {
    for (const auto& draw : data.at(key)) {
      out.push_back({path.filename().string(), iso(draw.at("fecha")), juego, draw.at("sorteo").get<int>(),
                     draw.at("numeros").get<std::vector<int>>(), draw.at("superbalota").get<int>()});
    }
  }
}

std::vector<int> ints_of(const std::string& text) {
  std::vector<int> out;
  std::stringstream stream(text);
  std::string piece;
  while (std::getline(stream, piece, ',')) out.push_back(std::stoi(piece));
  return out;
}

}  // namespace

std::filesystem::path lottery_data_dir() { return RIFA_LOTTERY_DATA_DIR; }

std::string missing_data_reason() {
  if (std::filesystem::is_directory(lottery_data_dir())) return {};
  return "shared lottery datasets not found at " + lottery_data_dir().string() +
         " (they live next to the repo in ../shared/lottery-data and are never copied into it)";
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::vector<std::string> split_csv_line(const std::string& line, char separator) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back().push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back().push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == separator) {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back().push_back(c);
    }
  }
  return fields;
}

std::vector<BalotoDraw> load_baloto_draws() {
  const auto dir = lottery_data_dir();
  std::vector<BalotoDraw> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir / "BALOTO-STATS-V3")) {
    if (entry.path().extension() == ".json") add_stats_file(entry.path(), out);
  }

  std::istringstream csv(read_file(dir / "validador-balotos" / "historical_results_dump.csv"));
  std::string line;
  std::getline(csv, line);  // header: id,game,sorteo,fecha,numeros,superBalota,...
  while (std::getline(csv, line)) {
    const auto fields = split_csv_line(line, ',');
    if (fields.size() < 6) continue;
    const std::string& game = fields[1];
    if (game != "Baloto" && game != "Baloto Revancha") continue;  // Miloto, Colorloto: other games
    const auto date = find_spanish_date(fields[3]);
    if (!date) throw std::runtime_error("historical_results_dump.csv: bad fecha '" + fields[3] + "'");
    out.push_back({"historical_results_dump.csv", *date,
                   game == "Baloto" ? baloto::Juego::kBaloto : baloto::Juego::kRevancha, std::stoi(fields[2]),
                   ints_of(fields[4]), std::stoi(fields[5])});
  }

  const json datos = read_json(dir / "baloto-datos" / "baloto.json");
  for (const auto& draw : datos.at("sorteos")) {
    out.push_back({"baloto-datos/baloto.json", iso(draw.at("fecha")), baloto::Juego::kBaloto, std::nullopt,
                   draw.at("balotas").get<std::vector<int>>(), draw.at("sb").get<int>()});
    if (draw.contains("revancha")) {
      out.push_back({"baloto-datos/baloto.json", iso(draw.at("fecha")), baloto::Juego::kRevancha, std::nullopt,
                     draw.at("revancha").get<std::vector<int>>(), draw.at("rsb").get<int>()});
    }
  }

  for (const auto& [file, juego] : {std::pair{"baloto_2085.json", baloto::Juego::kBaloto},
                                    std::pair{"revancha_2085.json", baloto::Juego::kRevancha}}) {
    const json draw = read_json(dir / "baloto-co" / file);
    out.push_back({std::string("baloto-co/") + file, iso(draw.at("game_date")), juego, draw.at("game_id").get<int>(),
                   draw.at("numbers").get<std::vector<int>>(), draw.at("super_balota").get<int>()});
  }
  const json pages = read_json(dir / "baloto-co" / "tests_pages_baloto_expected.json");
  for (const char* key : {"jackpot", "no_jackpot"}) {
    const json& expected = pages.at(key).at("expected");
    const auto date = find_spanish_date(expected.at("game_date").get<std::string>());
    out.push_back({"baloto-co/tests_pages_baloto_expected.json", *date, baloto::Juego::kBaloto,
                   expected.at("game_id").get<int>(), expected.at("winner_numbers").get<std::vector<int>>(),
                   expected.at("balota").get<int>()});
  }
  return out;
}

std::vector<BilleteDraw> load_bogota_draws() {
  const auto dir = lottery_data_dir();
  std::istringstream csv(read_file(dir / "loteria-bogota-secos" / "loteriabogota.csv"));
  std::string line;
  std::getline(csv, line);  // header (after a UTF-8 BOM): _id;LOTERIA;SORTEO;FECHA;NOMBRE_PREMIO;NUMERO;SERIE
  std::map<int, BilleteDraw> by_sorteo;
  while (std::getline(csv, line)) {
    const auto fields = split_csv_line(line, ';');
    if (fields.size() < 7) continue;
    // Extraordinary draws ("3", "4", "5", "Extra 0006") have their own numbering and calendar.
    const auto sorteo = parse_small_int(fields[2]);
    if (!sorteo || *sorteo < 1000) continue;
    const auto date = find_spanish_date(fields[3]);
    if (!date) throw std::runtime_error("loteriabogota.csv: bad FECHA '" + fields[3] + "'");
    BilleteDraw& draw = by_sorteo[*sorteo];
    draw.dataset = "loteriabogota.csv";
    draw.date = *date;
    draw.sorteo = *sorteo;
    // The CSV stripped the leading zeros; the billete has 4 + 3 digits.
    const std::string numero = pad_digits(std::stoll(fields[5]), 4);
    const std::string serie = pad_digits(std::stoll(fields[6]), 3);
    const std::string name = collapse_whitespace(fields[4]);
    if (name.find("MAYOR") != std::string::npos && draw.numero.empty()) {
      draw.numero = numero;
      draw.serie = serie;
    } else {
      draw.secos.push_back({name, numero, serie, prize_cents_from_label(name).value_or(0)});
    }
  }
  std::vector<BilleteDraw> out;
  for (auto& [sorteo, draw] : by_sorteo) out.push_back(std::move(draw));

  const json analisis = read_json(dir / "analisis-loterias-colombia" / "resultados_loterias.json");
  for (const auto& draw : analisis.at("Bogotá")) {
    out.push_back({"resultados_loterias.json",
                   iso(draw.at("fecha")),
                   std::nullopt,
                   draw.at("numero").get<std::string>(),
                   draw.at("serie").get<std::string>(),
                   {}});
  }
  return out;
}

std::vector<BilleteDraw> load_valle_draws() { return load_premio_mayor_draws("Valle"); }

std::vector<BilleteDraw> load_premio_mayor_draws(const std::string& lottery) {
  const json analisis = read_json(lottery_data_dir() / "analisis-loterias-colombia" / "resultados_loterias.json");
  std::vector<BilleteDraw> out;
  for (const auto& draw : analisis.at(lottery)) {
    out.push_back({"resultados_loterias.json",
                   iso(draw.at("fecha")),
                   std::nullopt,
                   draw.at("numero").get<std::string>(),
                   draw.at("serie").get<std::string>(),
                   {}});
  }
  return out;
}

}  // namespace rifa::lottery::testing
