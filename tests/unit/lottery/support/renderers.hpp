#pragma once

#include <string>
#include <vector>

#include "rifa/lottery/baloto/baloto_rules.hpp"
#include "rifa/lottery/draw_result.hpp"

// Page renderers: each writes a page in the structure of the real site (selectors and text
// formats from ../shared/lottery-data/NOTES.md and the saved official pages), filled with the
// values given. Tests render real draws from the datasets with them.
namespace rifa::lottery::testing {

std::string html_escape(const std::string& text);

struct BalotoRow {
  Date date;
  baloto::Juego juego = baloto::Juego::kBaloto;
  int sorteo = 0;
  std::vector<std::string> numbers;  ///< as printed ("08")
  std::string superbalota;           ///< as printed ("05")
};

/// https://baloto.com/resultados?page=N: banner with the newest night of `rows` (Baloto's and
/// Revancha's balls, each under its logo que-es-baloto/baloto.png or revancha.png),
/// table#results-table with one row per entry of `rows` (newest first, Baloto before Revancha),
/// pagination.
std::string render_baloto_listing(const std::vector<BalotoRow>& rows);

/// https://www.baloto.com/resultados-<juego>/<sorteo>/: #balotoBgNew with logo, "SORTEO 2.576",
/// weekday, date, balls, prize table.
std::string render_baloto_draw_page(const BalotoRow& row);

struct BilletePage {
  int sorteo = 0;
  Date date;
  std::string numero;
  std::string serie;
  std::vector<SecondaryPrize> secos;
};

/// https://loteriadebogota.com/resultados/: a result block with the lottery's logo (alt "Lotería
/// de Bogotá"), .resultado-sorteo, .resultado-fecha, tbody.mayor, tbody.secos, plus an unrelated
/// "otras loterías" table and a "próximo sorteo" block outside it.
std::string render_bogota_page(const BilletePage& page);

/// The tabla_normal JSON array of loteriadelvalle.com for `draws` (in the order given).
std::string render_valle_tabla_normal(const std::vector<BilletePage>& draws);

/// The complemento_secos JSON array for one draw.
std::string render_valle_secos(const std::vector<SecondaryPrize>& secos);

/// The static home page of loteriadelvalle.com showing `page` as its latest draw; the result
/// block carries the lottery's logo (alt "Lotería del Valle"), which is what names it.
std::string render_valle_home(const BilletePage& page);

/// "2.576" — Baloto's thousands dot.
std::string with_thousands_dot(int value);

}  // namespace rifa::lottery::testing
