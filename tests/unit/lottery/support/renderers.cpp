#include "renderers.hpp"

#include <nlohmann/json.hpp>

#include "rifa/lottery/digits.hpp"
#include "rifa/lottery/spanish_date.hpp"

namespace rifa::lottery::testing {
namespace {

std::string capitalized_weekday(const Date& date) {
  std::string name(spanish_weekday(weekday_of(date)));
  name[0] = static_cast<char>(name[0] - 'a' + 'A');
  return name;
}

std::string ball_div(const std::string& css, const std::string& value) {
  return "        <div class=\"col-md-2 col-2\">\n            <div class=\"text-center\">\n"
         "                <div class=\"" +
         css + " gotham-medium\">\n                    " + value +
         "\n                </div>\n            </div>\n        </div>\n";
}

std::string balls_block(const BalotoRow& row) {
  std::string out = "<div class=\"row\">\n";
  for (const auto& ball : row.numbers) out += ball_div("yellow-ball", ball);
  out += ball_div("red-ball", row.superbalota);
  return out + "</div>\n";
}

std::string digit_spans(const std::string& digits) {
  std::string out;
  for (char c : digits) out += "<span class=\"numero-bola\">" + std::string(1, c) + "</span>";
  return out;
}

}  // namespace

std::string html_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string with_thousands_dot(int value) {
  const std::string digits = std::to_string(value);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back('.');
    out.push_back(digits[i]);
  }
  return out;
}

std::string render_baloto_listing(const std::vector<BalotoRow>& rows) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"es\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>Resultados Baloto</title>\n</head>\n<body>\n";
  if (!rows.empty()) {
    // The banner repeats the newest night: each game's balls under its own logo, Baloto then
    // Revancha, as on the saved official page.
    const BalotoRow& top = rows.front();
    out +=
        "<div id=\"container-banner-results\" class=\"pt-5 pb-5 mt-4\">\n"
        "  <div class=\"text-center mb-4\">\n"
        "    <h2 class=\"gotham-black white-color\">Resultado sorteo #" +
        std::to_string(top.sorteo) + "</h2>\n    <h3 class=\"gotham-book white-color\">" +
        capitalized_weekday(top.date) + " " + format_spanish_long(top.date) +
        "</h3>\n  </div>\n  <div class=\"row mx-0 px-md-5 px-lg-5 pe-3\">\n";
    bool first_block = true;
    for (baloto::Juego juego : {baloto::Juego::kBaloto, baloto::Juego::kRevancha}) {
      for (const auto& row : rows) {
        if (row.date != top.date || row.juego != juego) continue;
        if (!first_block) {
          out +=
              "    <div class=\"col-md-2\">\n      <div id=\"verticalSeparator\" class=\"no-mobile\"></div>\n"
              "    </div>\n";
        }
        first_block = false;
        out +=
            "    <div class=\"col-md-5\">\n      <div class=\"text-center mb-4\">\n"
            "        <img style=\"max-height: 80px\" class=\"img-fluid\" "
            "src=\"https://www.codificatuidea.com/baloto/static/img/que-es-baloto/" +
            std::string(juego == baloto::Juego::kRevancha ? "revancha" : "baloto") +
            ".png\" />\n      </div>\n      <div>\n" + balls_block(row) + "      </div>\n    </div>\n";
        break;
      }
    }
    out += "  </div>\n</div>\n";
  }
  out +=
      "<div class=\"table-responsive\">\n"
      "    <table class=\"table table-hover gotham-book\" id=\"results-table\">\n"
      "        <thead class=\"text-uppercase text-center\">\n            <tr>\n"
      "                <th>Sorteo</th>\n                <th>Fecha</th>\n"
      "                <th>Resultado</th>\n                <th></th>\n            </tr>\n"
      "        </thead>\n        <tbody class=\"text-center\">\n";
  for (const auto& row : rows) {
    const bool revancha = row.juego == baloto::Juego::kRevancha;
    std::string balls;
    for (const auto& ball : row.numbers) balls += ball + " - ";
    out +=
        "                <tr>\n                    <td>\n"
        "                            <img src=\"https://www.codificatuidea.com/baloto/static/img/" +
        std::string(revancha ? "revancha" : "baloto") +
        "-kind.png\" />\n                    </td>\n"
        "                    <td class=\"creation-date-results\">" +
        format_spanish_long(row.date) +
        "</td>\n                    <td style=\"font-weight: bold\" class=\"creation-date-results\">" + balls +
        "<span class=\"balota-red-results\">" + row.superbalota +
        "</span></td>\n"
        "                    <td>\n                            <a class=\"d-block btn btn-outline-primary "
        "btn-dark-blue detail-button-results\" href=\"/resultados-" +
        std::string(revancha ? "revancha" : "baloto") + "/" + std::to_string(row.sorteo) +
        "\">Ver detalle</a>\n                    </td>\n                </tr>\n";
  }
  out +=
      "        </tbody>\n    </table>\n</div>\n"
      "<div class=\"text-center\"><span class=\"current\">Página 1 de 104</span>"
      " <a href=\"?page=2\">siguiente</a></div>\n</body>\n</html>\n";
  return out;
}

std::string render_baloto_draw_page(const BalotoRow& row) {
  const bool revancha = row.juego == baloto::Juego::kRevancha;
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"es\">\n<head>\n<meta charset=\"utf-8\">\n<title>Resultados " +
      std::string(revancha ? "Revancha" : "Baloto") +
      "</title>\n</head>\n<body>\n"
      "<div id=\"balotoBgNew\" class=\"p-1 p-md-4 p-lg-4 mb-4\">\n  <div class=\"row m-0\">\n"
      "    <div class=\"col-md-6 order-1\">\n      <div class=\"row\">\n        <div class=\"col-md-6\">\n"
      "          <div class=\"mt-2 pt-1 text-center\"><img class=\"img-fluid\" "
      "src=\"https://www.baloto.com/static/img/" +
      std::string(revancha ? "revancha" : "baloto") +
      ".png\"></div>\n        </div>\n        <div class=\"col-md-6\">\n"
      "          <div class=\"mt-2 lh30 border-left-blue ps-3\">\n"
      "            <div class=\"gotham-medium dark-blue fs-5\"><strong>SORTEO " +
      with_thousands_dot(row.sorteo) +
      "</strong></div>\n"
      "            <div class=\"gotham-medium dark-blue fs-5 text-uppercase\"><strong>" +
      capitalized_weekday(row.date) +
      "</strong></div>\n"
      "            <div class=\"gotham-medium dark-blue\">" +
      format_spanish_long(row.date) +
      "</div>\n          </div>\n        </div>\n      </div>\n"
      "      <div class=\"text-center bg-baloto-balls mt-4 mb-2\">\n"
      "        <div class=\"text-center my-3 gotham-medium dark-blue fs-6\">ACUMULADO DEL SORTEO: "
      "$29.000 MILLONES</div>\n        <div class=\"container-balls-results\">\n" +
      balls_block(row) +
      "        </div>\n      </div>\n    </div>\n"
      "    <div class=\"col-md-6 p-0 order-3\">\n      <table class=\"table gotham-medium text-center\">\n"
      "        <thead><tr><th>ACIERTOS</th><th>PREMIO TOTAL</th><th>GANADORES</th>"
      "<th>PREMIO POR GANADOR</th></tr></thead>\n        <tbody>\n";
  for (int hits : {5, 4, 3}) {
    out += "          <tr><td><div class=\"yellow-ball-results\">" + std::to_string(hits) +
           "</div><div class=\"sign dark-blue\">+</div><div class=\"pink-ball-results\">SB</div></td>"
           "<td>$0</td><td>0</td><td>$0</td></tr>\n";
  }
  out += "        </tbody>\n      </table>\n    </div>\n  </div>\n</div>\n</body>\n</html>\n";
  return out;
}

std::string render_bogota_page(const BilletePage& page) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"es\">\n<head><meta charset=\"utf-8\">"
      "<title>Resultados – Lotería de Bogotá</title></head>\n<body>\n"
      "<section class=\"resultados\">\n  <div class=\"resultado-header\">\n"
      "    <img class=\"resultado-logo\" "
      "src=\"https://loteriadebogota.com/wp-content/uploads/logo-loteria-de-bogota.png\""
      " alt=\"Lotería de Bogotá\">\n"
      "    <h2 class=\"resultado-sorteo\">Sorteo " +
      std::to_string(page.sorteo) +
      "</h2>\n"
      "    <p class=\"resultado-fecha\">" +
      std::string(spanish_weekday(weekday_of(page.date))) + ", " + format_spanish_long(page.date) +
      "</p>\n  </div>\n"
      "  <table class=\"tabla-resultado\">\n    <thead><tr><th>Número</th><th>Serie</th></tr></thead>\n"
      "    <tbody class=\"mayor\">\n      <tr><td>" +
      digit_spans(page.numero) + "</td><td>" + digit_spans(page.serie) +
      "</td></tr>\n    </tbody>\n  </table>\n"
      "  <div class=\"premiomayor2\">$14.000 millones</div>\n";
  if (!page.secos.empty()) {
    out +=
        "  <table class=\"tabla-secos\">\n    <thead><tr><th>Premio</th><th>Número</th>"
        "<th>Serie</th></tr></thead>\n    <tbody class=\"secos\">\n";
    for (const auto& seco : page.secos) {
      out += "      <tr><td class=\"premio\">" + html_escape(seco.name) + "</td><td>" + digit_spans(seco.number) +
             "</td><td>" + digit_spans(seco.series) + "</td></tr>\n";
    }
    out += "    </tbody>\n  </table>\n";
  }
  // Unrelated numbers on the same page: other lotteries and the next draw.
  out +=
      "</section>\n<aside class=\"otras-loterias\">\n  <table>\n    <tbody class=\"otras\">\n"
      "      <tr><td>Quindío</td><td><span>4</span><span>7</span><span>1</span><span>5</span></td>"
      "<td><span>1</span><span>3</span><span>9</span></td></tr>\n    </tbody>\n  </table>\n"
      "  <div class=\"proximo-sorteo\">Próximo sorteo " +
      std::to_string(page.sorteo + 1) + ": " + format_spanish_long(add_days(page.date, 7)) +
      "</div>\n</aside>\n</body>\n</html>\n";
  return out;
}

std::string render_valle_tabla_normal(const std::vector<BilletePage>& draws) {
  nlohmann::json array = nlohmann::json::array();
  for (const auto& draw : draws) {
    array.push_back({{"sorteo", std::to_string(draw.sorteo)},
                     {"fecha", format_iso(draw.date) + " 22:30:00"},
                     {"mayor", {{"resultado", draw.numero}, {"serie", draw.serie}}}});
  }
  return array.dump();
}

std::string render_valle_secos(const std::vector<SecondaryPrize>& secos) {
  nlohmann::json array = nlohmann::json::array();
  for (const auto& seco : secos) {
    array.push_back({{"seco", seco.name}, {"resultado", seco.number}, {"serie", seco.series}});
  }
  return array.dump();
}

std::string render_valle_home(const BilletePage& page) {
  std::string digits;
  for (char c : page.numero) digits += "<div class=\"col bola\">" + std::string(1, c) + "</div>";
  std::string serie;
  for (char c : page.serie) serie += "<div class=\"col bola\">" + std::string(1, c) + "</div>";
  const std::string month = spanish_month_name(static_cast<unsigned>(page.date.month()));
  char day[4];
  std::snprintf(day, sizeof day, "%02u", static_cast<unsigned>(page.date.day()));
  return "<!DOCTYPE html>\n<html lang=\"es\">\n<head><meta charset=\"utf-8\">"
         "<title>Lotería del Valle</title><script>var sorteo = 1234;</script></head>\n<body>\n"
         "<nav><a href=\"/plan-de-premios\">Plan de premios 2026</a> <a href=\"/billete\">Billete $18.000</a></nav>\n"
         "<section class=\"ultimo-resultado\">\n"
         "  <img class=\"logo-resultado\" "
         "src=\"https://loteriadelvalle.com/wp-content/uploads/logo-loteria-del-valle.png\""
         " alt=\"Lotería del Valle\">\n  <div class=\"sorteo\">Sorteo " +
         std::to_string(page.sorteo) + "</div>\n  <div class=\"fecha\">" + month + " " + day + " " +
         std::to_string(static_cast<int>(page.date.year())) +
         "</div>\n"
         "  <h3>PREMIO MAYOR</h3>\n  <div class=\"label\">Número</div>\n  <div class=\"row\">" +
         digits + "</div>\n  <div class=\"label\">Serie</div>\n  <div class=\"row\">" + serie +
         "</div>\n"
         "  <div class=\"valor\">$9.000 Millones</div>\n</section>\n"
         "<footer>Beneficencia del Valle del Cauca · Línea 018000 123 456</footer>\n</body>\n</html>\n";
}

}  // namespace rifa::lottery::testing
