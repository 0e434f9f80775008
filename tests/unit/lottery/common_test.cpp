#include <gtest/gtest.h>

#include "rifa/lottery/bogota_time.hpp"
#include "rifa/lottery/digits.hpp"
#include "rifa/lottery/draw_result.hpp"
#include "rifa/lottery/holidays.hpp"
#include "rifa/lottery/html_document.hpp"
#include "rifa/lottery/outcome.hpp"
#include "rifa/lottery/sha256.hpp"
#include "rifa/lottery/spanish_date.hpp"

namespace rifa::lottery {
namespace {

Date ymd(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

TEST(SpanishDate, ReadsTheWaysPagesWriteDates) {
  EXPECT_EQ(find_spanish_date("31 de Diciembre de 2025"), ymd(2025, 12, 31));
  EXPECT_EQ(find_spanish_date("ayer Miércoles 31 de Diciembre de 2025"), ymd(2025, 12, 31));
  EXPECT_EQ(find_spanish_date("Lunes 29 de diciembre de 2025"), ymd(2025, 12, 29));
  EXPECT_EQ(find_spanish_date("1 de Abril de 2023"), ymd(2023, 4, 1));
  EXPECT_EQ(find_spanish_date("01 septiembre 2026"), ymd(2026, 9, 1));
  EXPECT_EQ(find_spanish_date("Septiembre 02 2026"), ymd(2026, 9, 2));
  EXPECT_EQ(find_spanish_date("Miércoles 26 de agosto de 2026"), ymd(2026, 8, 26));
  EXPECT_EQ(find_spanish_date("2/01/2014"), ymd(2014, 1, 2));
  EXPECT_EQ(find_spanish_date("fecha 2025-10-30 22:30:00"), ymd(2025, 10, 30));
  EXPECT_EQ(find_spanish_date("10 de setiembre del 2024"), ymd(2024, 9, 10));
}

TEST(SpanishDate, RefusesIncompleteOrImpossibleDates) {
  EXPECT_EQ(find_spanish_date("Miércoles"), std::nullopt);
  EXPECT_EQ(find_spanish_date("31 de Febrero de 2025"), std::nullopt);
  EXPECT_EQ(find_spanish_date("31 de Diciembre"), std::nullopt);
  EXPECT_EQ(find_spanish_date("SORTEO 2.576"), std::nullopt);
  EXPECT_EQ(find_spanish_date(""), std::nullopt);
  EXPECT_EQ(parse_iso_date("2025-02-29"), std::nullopt);
  EXPECT_EQ(parse_iso_date("2025-1-01"), std::nullopt);
  EXPECT_EQ(format_iso(ymd(2026, 1, 2)), "2026-01-02");
  EXPECT_EQ(format_spanish_long(ymd(2025, 11, 8)), "08 de Noviembre de 2025");
}

TEST(Digits, KeepsLeadingZerosAndSpotsPlaceholders) {
  EXPECT_TRUE(is_digit_string("0042", 4));
  EXPECT_FALSE(is_digit_string("042", 4));
  EXPECT_FALSE(is_digit_string("00a2", 4));
  EXPECT_EQ(pad_digits(42, 4), "0042");
  EXPECT_EQ(pad_digits(7, 3), "007");
  EXPECT_EQ(digits_of("SORTEO 2.576"), "2576");
  EXPECT_TRUE(looks_like_placeholder("XXXX"));
  EXPECT_TRUE(looks_like_placeholder("  En minutos "));
  EXPECT_TRUE(looks_like_placeholder(""));
  EXPECT_TRUE(looks_like_placeholder("- -"));
  EXPECT_FALSE(looks_like_placeholder("08"));
  const DigitCell spaced = read_digit_cell(" 9 1 6 4 ");
  EXPECT_EQ(spaced.kind, CellKind::kDigits);
  EXPECT_EQ(spaced.text, "9164");
  EXPECT_EQ(read_digit_cell("XXXX").kind, CellKind::kPlaceholder);
  EXPECT_EQ(read_digit_cell("12a4").kind, CellKind::kJunk);
}

TEST(Digits, PrizeLabels) {
  EXPECT_EQ(prize_cents_from_label("PREMIO SECO $10 MILLONES"), 1'000'000'000);
  EXPECT_EQ(prize_cents_from_label("40 PREMIOS SECOS DE $10 MILLONES"), 1'000'000'000);
  EXPECT_EQ(prize_cents_from_label("PREMIO SECO $1.000 MILLONES \"SUPER GORDOS\""), 100'000'000'000);
  EXPECT_EQ(prize_cents_from_label("SUPER GORDO 100 MILLONES"), 10'000'000'000);
  EXPECT_EQ(prize_cents_from_label("PREMIO SECO DE $ 3 MILLONES"), 300'000'000);
  EXPECT_EQ(prize_cents_from_label("$50.000.000"), 5'000'000'000);
  EXPECT_EQ(prize_cents_from_label("APROXIMACIÓN"), std::nullopt);
}

// The observed national holidays of 2025 and 2026 (decreto calendars), Emiliani moves included.
TEST(Holidays, ComputesTheColombianCalendar) {
  EXPECT_EQ(easter_sunday(2025), ymd(2025, 4, 20));
  EXPECT_EQ(easter_sunday(2026), ymd(2026, 4, 5));
  std::vector<std::string> dates_2025;
  for (const auto& holiday : colombian_holidays(2025)) dates_2025.push_back(format_iso(holiday.date));
  EXPECT_EQ(dates_2025, (std::vector<std::string>{"2025-01-01", "2025-01-06", "2025-03-24", "2025-04-17", "2025-04-18",
                                                  "2025-05-01", "2025-06-02", "2025-06-23", "2025-06-30", "2025-06-30",
                                                  "2025-07-20", "2025-08-07", "2025-08-18", "2025-10-13", "2025-11-03",
                                                  "2025-11-17", "2025-12-08", "2025-12-25"}));
  std::vector<std::string> dates_2026;
  for (const auto& holiday : colombian_holidays(2026)) dates_2026.push_back(format_iso(holiday.date));
  EXPECT_EQ(dates_2026, (std::vector<std::string>{"2026-01-01", "2026-01-12", "2026-03-23", "2026-04-02", "2026-04-03",
                                                  "2026-05-01", "2026-05-18", "2026-06-08", "2026-06-15", "2026-06-29",
                                                  "2026-07-20", "2026-08-07", "2026-08-17", "2026-10-12", "2026-11-02",
                                                  "2026-11-16", "2026-12-08", "2026-12-25"}));
  EXPECT_TRUE(is_colombian_holiday(ymd(2014, 4, 17)));  // Jueves Santo
  EXPECT_TRUE(is_colombian_holiday(ymd(2022, 12, 8)));
  EXPECT_FALSE(is_colombian_holiday(ymd(2026, 1, 6)));  // Reyes moved to Monday 12
}

TEST(BogotaTime, IsUtcMinusFive) {
  using namespace std::chrono;
  // 2026-01-23 03:30 UTC is 2026-01-22 22:30 in Bogotá.
  const sys_seconds instant = sys_days{ymd(2026, 1, 23)} + hours{3} + minutes{30};
  EXPECT_EQ(bogota_date_of(instant), ymd(2026, 1, 22));
  EXPECT_EQ(bogota_minute_of_day(instant), 22 * 60 + 30);
  EXPECT_EQ(bogota_instant(ymd(2026, 1, 22), 22 * 60 + 30), instant);
}

TEST(Sha256, KnownVector) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(HtmlDocument, QueriesBrokenMarkupWithXPath) {
  const auto doc = HtmlDocument::parse(
      "<table id=t><tbody class='a mayor'><tr><td><span>0</span><span>4</span>"
      "<td>x &amp; y&nbsp;z</table><p class=mayorx>no");
  EXPECT_EQ(doc.select("//tbody[" + xpath_has_class("mayor") + "]/tr/td").size(), 2u);
  EXPECT_EQ(doc.select("//*[" + xpath_has_class("mayor") + "]").size(), 1u);
  EXPECT_EQ(HtmlDocument::text(doc.first("//td[2]")), "x & y z");
  EXPECT_EQ(HtmlDocument::attribute(doc.first("//table"), "id"), "t");
  EXPECT_EQ(doc.text_blocks(), (std::vector<std::string>{"0", "4", "x & y z", "no"}));
  EXPECT_EQ(doc.first("//nothing"), nullptr);
  EXPECT_TRUE(doc.select("this is not xpath((").empty());
}

TEST(HtmlDocument, RefusesCutAndOverDeepPagesBeforeParsing) {
  EXPECT_EQ(html_body_problem("<html><body><p>ok</p></body></HTML>\n"), "");
  EXPECT_EQ(html_body_problem("<html><body><p>cut"), "page cut short (no </html>)");
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += "<div>";
  EXPECT_EQ(html_body_problem(deep + "</html>"), "page nests deeper than 1000 elements");
  std::string flat;
  for (int i = 0; i < 5000; ++i) flat += "<div><br><img src=x/></div>";
  EXPECT_EQ(html_body_problem(flat + "</html>"), "");
}

TEST(HtmlDocument, CopiesDeepTreesWithoutRecursion) {
  std::string page;
  for (int i = 0; i < 1000; ++i) page += "<div>";
  page += "<span class='x'>deep</span>";
  const auto doc = HtmlDocument::parse(page);
  EXPECT_EQ(HtmlDocument::text(doc.first("//span[@class='x']")), "deep");
}

TEST(DrawResult, JsonHasTheAbiShapeAndRoundTrips) {
  DrawResult draw;
  draw.date = "2026-01-22";
  draw.draw_number = "2830";
  draw.numbers = {"0042"};
  draw.series = "007";
  draw.secondary = {{"PREMIO SECO $50 MILLONES", "1234", "045", 5'000'000'000}};
  draw.source_url = "https://loteriadebogota.com/resultados/";
  draw.raw_sha256 = sha256_hex("page");
  const auto json = to_json(draw);
  EXPECT_EQ(json.dump(), "{\"date\":\"2026-01-22\",\"draw_number\":\"2830\",\"numbers\":[\"0042\"],\"raw_sha256\":\"" +
                             draw.raw_sha256 +
                             "\",\"secondary\":[{\"name\":\"PREMIO SECO $50 MILLONES\",\"number\":\"1234\","
                             "\"prize_cents\":5000000000,\"series\":\"045\"}],\"series\":\"007\","
                             "\"source_url\":\"https://loteriadebogota.com/resultados/\"}");
  EXPECT_EQ(draw_result_from_json(json), draw);
  auto broken = json;
  broken["numbers"] = {42};
  EXPECT_EQ(draw_result_from_json(broken), std::nullopt);
}

TEST(Outcome, CarriesKindAndMessage) {
  const Outcome outcome = Outcome::not_published("bogota: latest draw on the page is 2026-01-15");
  EXPECT_EQ(outcome.kind(), OutcomeKind::kNotPublished);
  EXPECT_FALSE(outcome.is_ok());
  EXPECT_EQ(outcome.message(), "bogota: latest draw on the page is 2026-01-15");
  EXPECT_EQ(to_string(OutcomeKind::kValidationError), "validation_error");
}

}  // namespace
}  // namespace rifa::lottery
