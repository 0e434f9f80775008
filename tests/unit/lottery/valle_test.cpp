#include <gtest/gtest.h>

#include "datasets.hpp"
#include "renderers.hpp"
#include "rifa/lottery/sha256.hpp"
#include "rifa/lottery/spanish_date.hpp"
#include "rifa/lottery/valle/home_page_parser.hpp"
#include "rifa/lottery/valle/json_parser.hpp"
#include "rifa/lottery/valle/valle_rules.hpp"

namespace rifa::lottery::valle {
namespace {

constexpr const char* kJsonUrl = "https://loteriadelvalle.com/resultado_v2/controladores/revisar_controlador.php";
constexpr const char* kHomeUrl = "https://loteriadelvalle.com";

Date ymd(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

const BilleteRules& rules() {
  static const BilleteRules kRules = default_valle_rules();
  return kRules;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

DrawResult expected(const testing::BilletePage& page, const std::string& url, const std::string& body) {
  DrawResult draw;
  draw.date = format_iso(page.date);
  draw.draw_number = std::to_string(page.sorteo);
  draw.numbers = {page.numero};
  draw.series = page.serie;
  draw.secondary = page.secos;
  draw.source_url = url;
  draw.raw_sha256 = sha256_hex(body);
  return draw;
}

// Real Valle results: the dataset's two (no sorteo printed; numbered from the calendar without
// suspensions) and the two NOTES.md gives with their sorteo (4826 = 2025-12-10 4494/277 and
// 4864 = 2026-09-02 9164/113, from the live home page as described by a scraper).
std::vector<testing::BilletePage> real_pages() {
  std::vector<testing::BilletePage> pages = {{4864, ymd(2026, 9, 2), "9164", "113", {}},
                                             {4826, ymd(2025, 12, 10), "4494", "277", {}}};
  for (const auto& draw : testing::load_valle_draws()) {
    const auto range = rules().schedule.expected_sorteo(draw.date);
    EXPECT_TRUE(range.has_value()) << format_iso(draw.date);
    // The calendar allows min..max; with no suspension since, the count gives min.
    pages.push_back({range ? range->min : 0, draw.date, draw.numero, draw.serie, {}});
  }
  return pages;
}

TEST(ValleDatasets, EveryRealDrawParsesFromTheJsonEndpointAndTheHomePage) {
  if (const auto why = testing::missing_data_reason(); !why.empty()) GTEST_SKIP() << why;
  const auto pages = real_pages();
  ASSERT_EQ(pages.size(), 4u);
  const std::string tabla = testing::render_valle_tabla_normal(pages);
  for (const auto& page : pages) {
    const Outcome json = parse_valle_tabla_normal(tabla, {page.date, kJsonUrl}, rules());
    ASSERT_TRUE(json.is_ok()) << format_iso(page.date) << ": " << json.message();
    EXPECT_EQ(json.draw(), expected(page, kJsonUrl, tabla));
    const std::string home = testing::render_valle_home(page);
    const Outcome html = parse_valle_home(home, {page.date, kHomeUrl}, rules());
    ASSERT_TRUE(html.is_ok()) << format_iso(page.date) << ": " << html.message();
    EXPECT_EQ(html.draw(), expected(page, kHomeUrl, home));
  }
  EXPECT_EQ(pages[2].sorteo, 4820);  // 2025-10-29
}

TEST(ValleJson, SecosAreAttachedAndValidated) {
  const testing::BilletePage page{
      4864, ymd(2026, 9, 2), "9164", "113", {{"$500 MILLONES", "0420", "013", 50'000'000'000}}};
  const SecosRead secos = parse_valle_secos(testing::render_valle_secos(page.secos));
  ASSERT_EQ(secos.kind, OutcomeKind::kOk) << secos.message;
  EXPECT_EQ(secos.secos, page.secos);
  const std::string tabla = testing::render_valle_tabla_normal({page});
  const Outcome outcome = parse_valle_tabla_normal(tabla, {page.date, kJsonUrl}, rules(), secos.secos);
  ASSERT_TRUE(outcome.is_ok()) << outcome.message();
  EXPECT_EQ(outcome.draw(), expected(page, kJsonUrl, tabla));
  EXPECT_EQ(parse_valle_secos("").kind, OutcomeKind::kNotPublished);
  EXPECT_EQ(parse_valle_secos("[]").message, "valle secos: no secos yet");
  EXPECT_EQ(parse_valle_secos("<html>error</html>").message, "valle secos: response is not JSON");
  EXPECT_EQ(parse_valle_secos("[{\"seco\":\"x\",\"resultado\":\"12a4\",\"serie\":\"001\"}]").message,
            "valle secos: entry 0: '12a4' is not digits");
}

TEST(ValleJson, NumbersGivenAsIntegersArePaddedAndOutcomesAreRight) {
  const PageRequest request{ymd(2026, 9, 2), kJsonUrl};
  const Outcome padded = parse_valle_tabla_normal(
      R"([{"sorteo":4864,"fecha":"2026-09-02 22:30:00","mayor":{"resultado":42,"serie":7}}])", request, rules());
  ASSERT_TRUE(padded.is_ok()) << padded.message();
  EXPECT_EQ(padded.draw().numbers, std::vector<std::string>{"0042"});
  EXPECT_EQ(padded.draw().series, "007");
  struct Case {
    std::string body;
    OutcomeKind kind;
    std::string message;
  };
  const Case cases[] = {
      {"<html>", OutcomeKind::kParseError, "valle json: tabla_normal response is not JSON"},
      {"{}", OutcomeKind::kParseError, "valle json: tabla_normal response is not a JSON array"},
      {"[]", OutcomeKind::kNotPublished, "valle json: tabla_normal is empty"},
      {R"([{"sorteo":"4863","fecha":"2026-08-26 22:30:00","mayor":{"resultado":"1111","serie":"001"}}])",
       OutcomeKind::kNotPublished, "valle json: newest draw listed is 2026-08-26"},
      {R"([{"sorteo":"4864","fecha":"2026-09-02 22:30:00","mayor":{"resultado":"XXXX","serie":"XXX"}}])",
       OutcomeKind::kNotPublished, "valle json: premio mayor for 2026-09-02 not drawn yet"},
      {R"([{"sorteo":"4864","fecha":"2026-09-02 22:30:00","resultado":"9164"}])", OutcomeKind::kParseError,
       "valle json: entry 0: no mayor object"},
      {R"([{"sorteo":"4864","fecha":"02/09/2026"}])", OutcomeKind::kParseError,
       "valle json: entry 0: unreadable fecha '02/09/2026'"},
      {R"([{"sorteo":"4865","fecha":"2026-09-02 22:30:00","mayor":{"resultado":"9164","serie":"113"}}])",
       OutcomeKind::kValidationError,
       "valle: sorteo 4865 does not fit the draw calendar for 2026-09-02 (expected 4864)"},
      {R"([{"sorteo":"4865","fecha":"2026-09-09 22:30:00","mayor":{"resultado":"1","serie":"1"}},)"
       R"({"sorteo":"4863","fecha":"2026-08-26 22:30:00","mayor":{"resultado":"1","serie":"1"}}])",
       OutcomeKind::kValidationError, "valle json: no draw dated 2026-09-02 though the list runs to 2026-09-09"},
  };
  for (const auto& test : cases) {
    const Outcome outcome = parse_valle_tabla_normal(test.body, request, rules());
    EXPECT_EQ(outcome.kind(), test.kind) << test.message;
    EXPECT_EQ(outcome.message(), test.message);
  }
}

TEST(ValleHome, LayoutChangesWrongDateAndPlaceholders) {
  const testing::BilletePage page{4864, ymd(2026, 9, 2), "9164", "113", {}};
  const std::string body = testing::render_valle_home(page);
  struct Case {
    std::string body;
    Date date;
    OutcomeKind kind;
    std::string message;
  };
  const Date day = page.date;
  const std::string digits =
      "<div class=\"col bola\">9</div><div class=\"col bola\">1</div>"
      "<div class=\"col bola\">6</div><div class=\"col bola\">4</div>";
  const Case cases[] = {
      {replace_all(body, "PREMIO MAYOR", "GANADOR"), day, OutcomeKind::kParseError,
       "valle home: no 'PREMIO MAYOR' block in page"},
      {replace_all(body, "Número", "Billete"), day, OutcomeKind::kParseError,
       "valle home: no 'Número' block after 'PREMIO MAYOR'"},
      {replace_all(body, ">Serie<", ">Series<"), day, OutcomeKind::kParseError,
       "valle home: no 'Serie' block after 'Número'"},
      {replace_all(body, "Sorteo 4864", "Sorteo"), day, OutcomeKind::kParseError,
       "valle home: no 'Sorteo <n>' before 'PREMIO MAYOR'"},
      {replace_all(body, "Septiembre 02 2026", "Hoy"), day, OutcomeKind::kParseError,
       "valle home: no draw date before 'PREMIO MAYOR'"},
      {body, ymd(2026, 9, 9), OutcomeKind::kNotPublished, "valle home: latest draw on the page is 2026-09-02"},
      {body, ymd(2026, 8, 26), OutcomeKind::kValidationError, "valle: result is dated 2026-09-02, not 2026-08-26"},
      {replace_all(body, digits, "<div>X</div><div>X</div><div>X</div><div>X</div>"), day, OutcomeKind::kNotPublished,
       "valle home: premio mayor of sorteo 4864 not drawn yet"},
      {replace_all(body, digits, "<div>9</div><div>1</div><div>6</div>"), day, OutcomeKind::kValidationError,
       "valle: número '916' is not 4 digits"},
  };
  for (const auto& test : cases) {
    const Outcome outcome = parse_valle_home(test.body, {test.date, kHomeUrl}, rules());
    EXPECT_EQ(outcome.kind(), test.kind) << test.message;
    EXPECT_EQ(outcome.message(), test.message);
  }
}

// Adversarial home pages (issue 11): what names the result block decides whose result it is; the
// page's title, nav and footer ("Lotería del Valle", "Beneficencia del Valle") do not.
constexpr const char* kValleLogo =
    "<img class=\"logo-resultado\" src=\"https://loteriadelvalle.com/wp-content/uploads/logo-loteria-del-valle.png\""
    " alt=\"Lotería del Valle\">";
constexpr const char* kManizalesLogo =
    "<img class=\"logo-resultado\" src=\"https://loteriadelvalle.com/wp-content/uploads/logo-loteria-de-manizales.png\""
    " alt=\"Lotería de Manizales\">";

// The result section of a rendered home page, from <section> to </section>.
std::string section_of(const std::string& body) {
  const auto from = body.find("<section");
  const auto to = body.find("</section>") + std::string("</section>").size();
  return body.substr(from, to - from);
}

TEST(ValleHome, AnotherLotterysBlockUnderVallesHeaderIsRefused) {
  const testing::BilletePage page{4864, ymd(2026, 9, 2), "9164", "113", {}};
  const std::string body = testing::render_valle_home(page);
  ASSERT_NE(body.find(kValleLogo), std::string::npos);
  // Manizales draws the same Wednesday night: its block, logo and all, under Valle's header.
  const std::string manizales =
      replace_all(testing::render_valle_home({4864, page.date, "2371", "045", {}}), kValleLogo, kManizalesLogo);
  ASSERT_NE(manizales.find("<title>Lotería del Valle</title>"), std::string::npos);
  const Outcome foreign = parse_valle_home(manizales, {page.date, kHomeUrl}, rules());
  EXPECT_EQ(foreign.kind(), OutcomeKind::kParseError);
  EXPECT_EQ(foreign.message(),
            "valle home: no PREMIO MAYOR block names Lotería del Valle (found a PREMIO MAYOR block naming "
            "Lotería de Manizales): layout changed or another lottery's result");

  const Outcome unnamed = parse_valle_home(replace_all(body, kValleLogo, ""), {page.date, kHomeUrl}, rules());
  EXPECT_EQ(unnamed.kind(), OutcomeKind::kParseError);
  EXPECT_EQ(unnamed.message(),
            "valle home: no PREMIO MAYOR block names Lotería del Valle (found a PREMIO MAYOR block naming no "
            "lottery): layout changed or another lottery's result");

  const Outcome both = parse_valle_home(
      replace_all(body, kValleLogo, std::string(kValleLogo) + "<p>Juega también la Lotería de Manizales</p>"),
      {page.date, kHomeUrl}, rules());
  EXPECT_EQ(both.kind(), OutcomeKind::kParseError);
  EXPECT_EQ(both.message(),
            "valle home: no PREMIO MAYOR block names Lotería del Valle (found a PREMIO MAYOR block naming "
            "Lotería de Manizales and Lotería del Valle): layout changed or another lottery's result");

  // No block of its own: only the page around it names Valle.
  const std::string flat = replace_all(replace_all(body, "<section class=\"ultimo-resultado\">", ""), "</section>", "");
  const Outcome loose = parse_valle_home(flat, {page.date, kHomeUrl}, rules());
  EXPECT_EQ(loose.kind(), OutcomeKind::kParseError);
  EXPECT_EQ(loose.message(),
            "valle home: no PREMIO MAYOR block names Lotería del Valle (found a PREMIO MAYOR outside any result "
            "block): layout changed or another lottery's result");
}

TEST(ValleHome, VallesBlockIsFoundByItsNameWhereverItSits) {
  const testing::BilletePage page{4864, ymd(2026, 9, 2), "9164", "113", {}};
  const std::string body = testing::render_valle_home(page);
  const std::string valle = section_of(body);
  const std::string manizales = replace_all(
      section_of(testing::render_valle_home({4864, page.date, "2371", "045", {}})), kValleLogo, kManizalesLogo);
  for (const std::string& sections : {manizales + valle, valle + manizales}) {
    const std::string two = replace_all(body, valle, sections);
    const Outcome outcome = parse_valle_home(two, {page.date, kHomeUrl}, rules());
    ASSERT_TRUE(outcome.is_ok()) << outcome.message();
    EXPECT_EQ(outcome.draw(), expected(page, kHomeUrl, two));
  }
  const Outcome twice = parse_valle_home(replace_all(body, valle, valle + valle), {page.date, kHomeUrl}, rules());
  EXPECT_EQ(twice.kind(), OutcomeKind::kParseError);
  EXPECT_EQ(twice.message(), "valle home: 2 PREMIO MAYOR blocks name Lotería del Valle, expected one");
  // The name may be the block's text or a title instead of a logo's alt; accents and case do not matter.
  const Outcome by_text =
      parse_valle_home(replace_all(body, kValleLogo, "<h2>LOTERIA DEL VALLE</h2>"), {page.date, kHomeUrl}, rules());
  EXPECT_TRUE(by_text.is_ok()) << by_text.message();
}

}  // namespace
}  // namespace rifa::lottery::valle
