#include <gtest/gtest.h>

#include "datasets.hpp"
#include "renderers.hpp"
#include "rifa/lottery/bogota/bogota_rules.hpp"
#include "rifa/lottery/bogota/results_page_parser.hpp"
#include "rifa/lottery/sha256.hpp"
#include "rifa/lottery/spanish_date.hpp"

namespace rifa::lottery::bogota {
namespace {

constexpr const char* kUrl = "https://loteriadebogota.com/resultados/";

Date ymd(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

const BilleteRules& rules() {
  static const BilleteRules kRules = default_bogota_rules();
  return kRules;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

// Sorteo 2830 (2026-01-22), with a seco of serie 456 as seen in January 2026.
testing::BilletePage sample_page() {
  return {2830, ymd(2026, 1, 22), "0042", "007", {{"PREMIO SECO $50 MILLONES", "1234", "456", 5'000'000'000}}};
}

TEST(BogotaDatasets, EveryRealDrawRenderedAsTheResultsPageParsesBackWithAllSecos) {
  if (const auto why = testing::missing_data_reason(); !why.empty()) GTEST_SKIP() << why;
  const auto draws = testing::load_bogota_draws();
  ASSERT_EQ(draws.size(), 453u + 2u);  // 453 ordinary draws 2216..2668 + 2 from 2025
  std::size_t secos = 0;
  int moved = 0;
  for (const auto& draw : draws) {
    const std::string label = draw.dataset + " " + format_iso(draw.date);
    int sorteo = 0;
    if (draw.sorteo) {
      sorteo = *draw.sorteo;
    } else {
      const auto range = rules().schedule.expected_sorteo(draw.date);
      ASSERT_TRUE(range) << label;
      ASSERT_EQ(range->min, range->max) << label;
      sorteo = range->min;
    }
    if (weekday_of(draw.date) != std::chrono::Thursday) ++moved;
    const testing::BilletePage page{sorteo, draw.date, draw.numero, draw.serie, draw.secos};
    const std::string body = testing::render_bogota_page(page);
    const Outcome outcome = parse_bogota_results(body, {draw.date, kUrl}, rules());
    ASSERT_TRUE(outcome.is_ok()) << label << " sorteo " << sorteo << ": " << outcome.message();
    DrawResult expected;
    expected.date = format_iso(draw.date);
    expected.draw_number = std::to_string(sorteo);
    expected.numbers = {draw.numero};
    expected.series = draw.serie;
    expected.secondary = draw.secos;
    expected.source_url = kUrl;
    expected.raw_sha256 = sha256_hex(body);
    EXPECT_EQ(outcome.draw(), expected) << label;
    secos += draw.secos.size();
  }
  // SOURCES.md counts 12 non-Thursday draws; 4 of them are the extraordinary ones left out.
  EXPECT_EQ(moved, 8);
  EXPECT_GT(secos, 25000u);
}

TEST(BogotaPage, ReadsMayorSecosAndKeepsLeadingZeros) {
  const auto page = sample_page();
  const std::string body = testing::render_bogota_page(page);
  const Outcome outcome = parse_bogota_results(body, {page.date, kUrl}, rules());
  ASSERT_TRUE(outcome.is_ok()) << outcome.message();
  EXPECT_EQ(to_json(outcome.draw()).dump(),
            "{\"date\":\"2026-01-22\",\"draw_number\":\"2830\",\"numbers\":[\"0042\"],\"raw_sha256\":\"" +
                sha256_hex(body) +
                "\",\"secondary\":[{\"name\":\"PREMIO SECO $50 MILLONES\",\"number\":\"1234\","
                "\"prize_cents\":5000000000,\"series\":\"456\"}],\"series\":\"007\",\"source_url\":\"" +
                kUrl + "\"}");
  BilleteRules strict = default_bogota_rules();
  strict.serie_max = 449;
  const Outcome refused = parse_bogota_results(body, {page.date, kUrl}, strict);
  EXPECT_EQ(refused.kind(), OutcomeKind::kValidationError);
  EXPECT_EQ(refused.message(), "bogota: seco 1 serie 456 outside 000–449");
}

TEST(BogotaPage, OutcomesForLayoutDateAndPlaceholders) {
  const auto page = sample_page();
  const std::string body = testing::render_bogota_page(page);
  struct Case {
    std::string body;
    Date date;
    OutcomeKind kind;
    std::string message;
  };
  const Date day = page.date;
  const Case cases[] = {
      {replace_all(body, "resultado-sorteo", "sorteo"), day, OutcomeKind::kParseError,
       "bogota: no .resultado-sorteo in page"},
      {replace_all(body, "resultado-fecha", "fecha"), day, OutcomeKind::kParseError,
       "bogota: no .resultado-fecha in page"},
      {replace_all(body, "tbody class=\"mayor\"", "tbody class=\"premio\""), day, OutcomeKind::kParseError,
       "bogota: no tbody.mayor row in page"},
      {replace_all(body, "jueves, 22 de Enero de 2026", "jueves"), day, OutcomeKind::kParseError,
       "bogota: unreadable date in .resultado-fecha 'jueves'"},
      {body, ymd(2026, 1, 29), OutcomeKind::kNotPublished, "bogota: latest draw on the page is 2026-01-22"},
      {body, ymd(2026, 1, 15), OutcomeKind::kValidationError, "bogota: result is dated 2026-01-22, not 2026-01-15"},
      {replace_all(body,
                   "<td><span class=\"numero-bola\">0</span><span class=\"numero-bola\">0</span>"
                   "<span class=\"numero-bola\">4</span><span class=\"numero-bola\">2</span></td>",
                   "<td><span>XXXX</span></td>"),
       day, OutcomeKind::kNotPublished, "bogota: premio mayor of sorteo 2830 not drawn yet ('XXXX')"},
      {replace_all(body, "Sorteo 2830", "Sorteo 2829"), day, OutcomeKind::kValidationError,
       "bogota: sorteo 2829 does not fit the draw calendar for 2026-01-22 (expected 2830)"},
      {testing::render_bogota_page({2830, ymd(2026, 1, 22), "042", "007", {}}), day, OutcomeKind::kValidationError,
       "bogota: número '042' is not 4 digits"},
      {testing::render_bogota_page({2831, ymd(2026, 1, 23), "0042", "007", {}}), ymd(2026, 1, 23),
       OutcomeKind::kValidationError, "bogota: 2026-01-23 (viernes) is not a draw day"},
  };
  for (const auto& test : cases) {
    const Outcome outcome = parse_bogota_results(test.body, {test.date, kUrl}, rules());
    EXPECT_EQ(outcome.kind(), test.kind) << test.message;
    EXPECT_EQ(outcome.message(), test.message);
  }
}

TEST(BogotaPage, UnrelatedTablesAndTheNextDrawAreIgnored) {
  // The page also lists the Quindío result and the next sorteo; only tbody.mayor counts.
  const auto page = sample_page();
  const std::string body = testing::render_bogota_page(page);
  ASSERT_NE(body.find("Quindío"), std::string::npos);
  ASSERT_NE(body.find("Próximo sorteo 2831"), std::string::npos);
  const Outcome outcome = parse_bogota_results(body, {page.date, kUrl}, rules());
  ASSERT_TRUE(outcome.is_ok()) << outcome.message();
  EXPECT_EQ(outcome.draw().numbers, std::vector<std::string>{"0042"});
  EXPECT_EQ(outcome.draw().draw_number, "2830");
}

// Adversarial pages (issue 11): the result block is Bogotá's only when it names Lotería de Bogotá
// (and no other lottery); the page's title and header around it do not count.
TEST(BogotaPage, AnotherLotterysBlockUnderBogotasHeaderIsRefused) {
  const auto page = sample_page();
  const std::string body = testing::render_bogota_page(page);
  const std::string logo =
      "src=\"https://loteriadebogota.com/wp-content/uploads/logo-loteria-de-bogota.png\""
      " alt=\"Lotería de Bogotá\"";
  ASSERT_NE(body.find(logo), std::string::npos);
  // The Quindío draws the same Thursday night: its block, logo and all, under Bogotá's header.
  const std::string quindio = replace_all(testing::render_bogota_page({2830, page.date, "4715", "139", {}}), logo,
                                          "src=\"https://loteriadebogota.com/wp-content/uploads/"
                                          "logo-loteria-del-quindio.png\" alt=\"Lotería del Quindío\"");
  ASSERT_NE(quindio.find("<title>Resultados – Lotería de Bogotá</title>"), std::string::npos);
  const Outcome foreign = parse_bogota_results(quindio, {page.date, kUrl}, rules());
  EXPECT_EQ(foreign.kind(), OutcomeKind::kParseError);
  EXPECT_EQ(foreign.message(),
            "bogota: the result block names Lotería del Quindío, expected only Lotería de Bogotá: layout changed "
            "or another lottery's result");

  const std::string no_logo = replace_all(body, "<img class=\"resultado-logo\" " + logo + ">", "");
  ASSERT_NE(no_logo, body);
  const Outcome unnamed = parse_bogota_results(no_logo, {page.date, kUrl}, rules());
  EXPECT_EQ(unnamed.kind(), OutcomeKind::kParseError);
  EXPECT_EQ(unnamed.message(),
            "bogota: the result block names no lottery (expected Lotería de Bogotá in its text or a logo's alt): "
            "layout changed");

  const Outcome both = parse_bogota_results(
      replace_all(body, "<div class=\"premiomayor2\">", "<div class=\"premiomayor2\">Lotería del Tolima "),
      {page.date, kUrl}, rules());
  EXPECT_EQ(both.kind(), OutcomeKind::kParseError);
  EXPECT_EQ(both.message(),
            "bogota: the result block names Lotería de Bogotá and Lotería del Tolima, expected only Lotería de "
            "Bogotá: layout changed or another lottery's result");

  // The sorteo and date of the page's header, the mayor in a block elsewhere: nothing ties them.
  const std::string split =
      replace_all(body, "<table class=\"tabla-resultado\">", "</section><section><table class=\"tabla-resultado\">");
  const Outcome loose = parse_bogota_results(split, {page.date, kUrl}, rules());
  EXPECT_EQ(loose.kind(), OutcomeKind::kParseError);
  EXPECT_EQ(loose.message(),
            "bogota: tbody.mayor, .resultado-sorteo and .resultado-fecha are not in one result block: layout changed");

  // Named by text rather than a logo, any case and accents.
  const Outcome by_text = parse_bogota_results(replace_all(no_logo, "<h2 class=\"resultado-sorteo\">",
                                                           "<h1>LOTERIA DE BOGOTA</h1><h2 class=\"resultado-sorteo\">"),
                                               {page.date, kUrl}, rules());
  EXPECT_TRUE(by_text.is_ok()) << by_text.message();
}

}  // namespace
}  // namespace rifa::lottery::bogota
