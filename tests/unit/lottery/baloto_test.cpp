#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "datasets.hpp"
#include "renderers.hpp"
#include "rifa/lottery/baloto/draw_page_parser.hpp"
#include "rifa/lottery/baloto/listing_parser.hpp"
#include "rifa/lottery/baloto/resultadobaloto_parser.hpp"
#include "rifa/lottery/digits.hpp"
#include "rifa/lottery/sha256.hpp"
#include "rifa/lottery/spanish_date.hpp"

namespace rifa::lottery::baloto {
namespace {

using testing::BalotoRow;

constexpr const char* kListingUrl = "https://baloto.com/resultados?page=1";

Date ymd(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

const BalotoConfig& config() {
  static const BalotoConfig kConfig = default_baloto_config();
  return kConfig;
}

std::string two(int value) { return pad_digits(value, 2); }

BalotoRow row_of(const testing::BalotoDraw& draw, int sorteo) {
  BalotoRow row{draw.date, draw.juego, sorteo, {}, two(draw.superbalota)};
  for (int ball : draw.numbers) row.numbers.push_back(two(ball));
  return row;
}

DrawResult expected_draw(const BalotoRow& row, const std::string& url, const std::string& body) {
  DrawResult draw;
  draw.date = format_iso(row.date);
  draw.draw_number = std::to_string(row.sorteo);
  draw.numbers = row.numbers;
  draw.extra["superbalota"] = row.superbalota;
  draw.source_url = url;
  draw.raw_sha256 = sha256_hex(body);
  return draw;
}

std::string describe(const testing::BalotoDraw& draw) {
  return draw.dataset + " " + format_iso(draw.date) + " " + std::string(to_string(draw.juego));
}

// A sample of rows for the layout tests: sorteo 2576 (8 Nov 2025), jackpot night.
BalotoRow sample_row(Juego juego = Juego::kBaloto) {
  if (juego == Juego::kRevancha) return {ymd(2025, 11, 8), juego, 2576, {"03", "09", "17", "26", "38"}, "11"};
  return {ymd(2025, 11, 8), juego, 2576, {"01", "06", "18", "21", "24"}, "12"};
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

TEST(BalotoDatasets, EveryRealDrawRenderedAsTheOfficialPagesParsesBackExactly) {
  if (const auto why = testing::missing_data_reason(); !why.empty()) GTEST_SKIP() << why;
  const auto draws = testing::load_baloto_draws();
  ASSERT_GT(draws.size(), 3000u);

  // Today's game only: every dataset starts in 2021, after the 2017 change to 5/43 + SB.
  std::map<std::string, std::vector<BalotoRow>> by_date;  // ISO date → rows (Baloto first)
  int with_sorteo_from_calendar = 0;
  bool saw_monday = false;
  for (const auto& draw : draws) {
    ASSERT_GE(to_days(draw.date), to_days(config().current_game_since)) << describe(draw);
    int sorteo = 0;
    if (draw.sorteo) {
      sorteo = *draw.sorteo;
    } else {
      // baloto-datos carries no sorteo: the calendar pins it between anchors; after the last
      // anchor it allows a few suspended draws, and the count without suspension is the max.
      const auto range = config().schedule.expected_sorteo(draw.date);
      ASSERT_TRUE(range) << describe(draw) << ": not a draw day";
      sorteo = range->max;
      ++with_sorteo_from_calendar;
    }
    saw_monday = saw_monday || weekday_of(draw.date) == std::chrono::Monday;
    auto& rows = by_date[format_iso(draw.date)];
    const BalotoRow row = row_of(draw, sorteo);
    const bool duplicate = std::any_of(rows.begin(), rows.end(), [&](const BalotoRow& seen) {
      return seen.juego == row.juego && seen.numbers == row.numbers && seen.superbalota == row.superbalota &&
             seen.sorteo == row.sorteo;
    });
    if (!duplicate) rows.push_back(row);
  }
  EXPECT_TRUE(saw_monday);
  EXPECT_GT(with_sorteo_from_calendar, 400);

  // Each draw once per (date, juego) on a listing page; when two datasets disagree (baloto-datos
  // swaps Baloto/Revancha on four nights) each version gets its own page.
  std::vector<std::vector<BalotoRow>> pages(1);
  std::vector<std::string> dates;
  for (const auto& [date, rows] : by_date) dates.push_back(date);
  std::reverse(dates.begin(), dates.end());
  int parsed = 0;
  std::size_t distinct = 0;
  for (const auto& date : dates) {
    distinct += by_date[date].size();
    for (const auto& row : by_date[date]) {
      // Per-draw page.
      const std::string url = "https://www.baloto.com/resultados-" +
                              std::string(row.juego == Juego::kRevancha ? "revancha" : "baloto") + "/" +
                              std::to_string(row.sorteo) + "/";
      const std::string page = testing::render_baloto_draw_page(row);
      const Outcome outcome = parse_baloto_draw_page(page, {row.date, url}, row.juego, config());
      ASSERT_TRUE(outcome.is_ok()) << date << " " << to_string(row.juego) << ": " << outcome.message();
      EXPECT_EQ(outcome.draw(), expected_draw(row, url, page));
      ++parsed;
      // Listing page: ten rows like the real one, newest first.
      auto& current = pages.back();
      const bool clash = std::any_of(current.begin(), current.end(), [&](const BalotoRow& seen) {
        return seen.date == row.date && seen.juego == row.juego;
      });
      if (clash || current.size() == 10) pages.emplace_back();
      pages.back().push_back(row);
    }
  }
  for (const auto& rows : pages) {
    const std::string page = testing::render_baloto_listing(rows);
    for (const auto& row : rows) {
      const Outcome outcome = parse_baloto_listing(page, {row.date, kListingUrl}, row.juego, config());
      ASSERT_TRUE(outcome.is_ok()) << format_iso(row.date) << " " << to_string(row.juego) << ": " << outcome.message();
      EXPECT_EQ(outcome.draw(), expected_draw(row, kListingUrl, page));
      ++parsed;
    }
  }
  EXPECT_EQ(static_cast<std::size_t>(parsed), 2 * distinct);  // each via both page shapes
  EXPECT_GT(distinct, 1300u);
}

struct Shown {
  const char* date;
  int sorteo;
  const char* baloto;
  const char* revancha;
};

// What the saved official page shows (5 nights, Baloto and Revancha).
constexpr Shown kOfficialPage[] = {
    {"2025-12-31", 2599, "22 24 27 37 40 08", "09 13 19 41 43 16"},
    {"2025-12-29", 2598, "08 17 21 36 39 15", "11 15 23 36 42 08"},
    {"2025-12-27", 2597, "05 17 18 32 41 06", "04 15 22 35 41 03"},
    {"2025-12-24", 2596, "08 09 15 23 35 15", "14 18 27 34 40 07"},
    {"2025-12-22", 2595, "04 17 19 32 42 15", "09 24 27 35 42 04"},
};

std::string joined(const DrawResult& draw) {
  std::string out;
  for (const auto& ball : draw.numbers) out += ball + " ";
  return out + draw.extra.at("superbalota");
}

TEST(BalotoOfficialPage, RawSavedListingParsesToTheDrawsItShows) {
  if (const auto why = testing::missing_data_reason(); !why.empty()) GTEST_SKIP() << why;
  const std::string page = testing::read_file(testing::lottery_data_dir() / "validador-balotos" /
                                              "baloto.com_resultados_page1_2025-12-31.html");
  const std::string sha = sha256_hex(page);
  for (const Shown& shown : kOfficialPage) {
    const Date date = *parse_iso_date(shown.date);
    for (Juego juego : {Juego::kBaloto, Juego::kRevancha}) {
      const Outcome outcome = parse_baloto_listing(page, {date, kListingUrl}, juego, config());
      ASSERT_TRUE(outcome.is_ok()) << shown.date << ": " << outcome.message();
      EXPECT_EQ(outcome.draw().date, shown.date);
      EXPECT_EQ(outcome.draw().draw_number, std::to_string(shown.sorteo));
      EXPECT_EQ(joined(outcome.draw()), juego == Juego::kBaloto ? shown.baloto : shown.revancha);
      EXPECT_EQ(outcome.draw().raw_sha256, sha);
      EXPECT_EQ(outcome.draw().source_url, kListingUrl);
    }
  }
  const Outcome later = parse_baloto_listing(page, {ymd(2026, 1, 3), kListingUrl}, Juego::kBaloto, config());
  EXPECT_EQ(later.kind(), OutcomeKind::kNotPublished);
  EXPECT_EQ(later.message(), "baloto listing: newest draw on the page is 2025-12-31");
  const Outcome tuesday = parse_baloto_listing(page, {ymd(2025, 12, 30), kListingUrl}, Juego::kBaloto, config());
  EXPECT_EQ(tuesday.kind(), OutcomeKind::kValidationError);
  EXPECT_EQ(tuesday.message(), "baloto: 2025-12-30 (martes) is not a draw day");
  const Outcome older = parse_baloto_listing(page, {ymd(2025, 11, 8), kListingUrl}, Juego::kBaloto, config());
  EXPECT_EQ(older.kind(), OutcomeKind::kParseError);
  EXPECT_EQ(older.message(), "baloto listing: 2025-11-08 is older than this page (2025-12-22 … 2025-12-31)");
}

TEST(BalotoOfficialPage, EmptyAggregatorYearPageIsNotPublished) {
  if (const auto why = testing::missing_data_reason(); !why.empty()) GTEST_SKIP() << why;
  const std::string page = testing::read_file(testing::lottery_data_dir() / "validador-balotos" /
                                              "resultadobaloto.com_resultados_2026_empty.html");
  const Outcome outcome = parse_resultadobaloto_year(
      page, {ymd(2026, 1, 3), "https://resultadobaloto.com/resultados.php?anno=2026"}, Juego::kBaloto, config());
  EXPECT_EQ(outcome.kind(), OutcomeKind::kNotPublished);
  EXPECT_EQ(outcome.message(), "resultadobaloto: the 'Combinación Ganadora' table is empty");
  // The official listing parser, handed the aggregator page, names what is missing.
  const Outcome wrong_parser = parse_baloto_listing(page, {ymd(2026, 1, 3), kListingUrl}, Juego::kBaloto, config());
  EXPECT_EQ(wrong_parser.kind(), OutcomeKind::kParseError);
  EXPECT_EQ(wrong_parser.message(), "baloto listing: no table#results-table in page");
}

TEST(BalotoAggregator, ReadsARowAndPinsTheSorteoFromTheCalendar) {
  const std::string page =
      "<table><thead><tr><th>Fecha</th><th>5 + 1</th></tr></thead><tbody><tr><td>99</td><td>1</td></tr></tbody></table>"
      "<div class='panel'><div class='panel-heading'><h3>Combinación Ganadora de la Baloto del año 2025</h3></div>"
      "<table class='table'><thead><tr><th>Fecha</th><th>Combinación Ganadora</th><th>Super Balota.</th></tr></thead>"
      "<tbody><tr><td>Sábado 8 de noviembre de 2025</td><td><span>01</span> <span>06</span> <span>18</span> "
      "<span>21</span> <span>24</span></td><td>12</td></tr></tbody></table></div></html>";
  const Outcome outcome = parse_resultadobaloto_year(page, {ymd(2025, 11, 8), "u"}, Juego::kBaloto, config());
  ASSERT_TRUE(outcome.is_ok()) << outcome.message();
  EXPECT_EQ(outcome.draw().draw_number, "2576");
  EXPECT_EQ(joined(outcome.draw()), "01 06 18 21 24 12");
  const Outcome revancha = parse_resultadobaloto_year(page, {ymd(2025, 11, 8), "u"}, Juego::kRevancha, config());
  EXPECT_EQ(revancha.message(), "resultadobaloto: the year page lists Baloto only, not Revancha");
  const Outcome missing = parse_resultadobaloto_year(page, {ymd(2025, 11, 5), "u"}, Juego::kBaloto, config());
  EXPECT_EQ(missing.kind(), OutcomeKind::kValidationError);
  EXPECT_EQ(missing.message(), "resultadobaloto: no row dated 2025-11-05 though the table runs to 2025-11-08");
}

TEST(BalotoListing, LayoutChangesAreParseErrorsNamingWhatIsMissing) {
  const std::vector<BalotoRow> rows = {sample_row(Juego::kBaloto), sample_row(Juego::kRevancha)};
  const std::string page = testing::render_baloto_listing(rows);
  const PageRequest request{ymd(2025, 11, 8), kListingUrl};
  ASSERT_TRUE(parse_baloto_listing(page, request, Juego::kRevancha, config()).is_ok());
  struct Case {
    std::string page;
    std::string message;
  };
  const Case cases[] = {
      {replace_all(page, "id=\"results-table\"", "id=\"resultados\""),
       "baloto listing: no table#results-table in page"},
      {replace_all(page, "class=\"balota-red-results\"", "class=\"red\""),
       "baloto listing: row 1: no span.balota-red-results"},
      {replace_all(replace_all(page, "-kind.png", ".png"), "href=\"/resultados-", "href=\"/r-"),
       "baloto listing: row 1: no baloto-kind/revancha-kind image and no detail link"},
      {replace_all(page, "08 de Noviembre de 2025", "08/11"), "baloto listing: row 1: unreadable date '08/11'"},
      {replace_all(page, "/resultados-baloto/2576", "/resultados-revancha/2576"),
       "baloto listing: row 1: image says Baloto but the link says Revancha"},
      {replace_all(page, "01 - 06 -", "01 - O6 -"), "baloto listing: row 1: ball 'O6' is not a number"},
  };
  for (const auto& test : cases) {
    const Outcome outcome = parse_baloto_listing(test.page, request, Juego::kBaloto, config());
    EXPECT_EQ(outcome.kind(), OutcomeKind::kParseError) << test.message;
    EXPECT_EQ(outcome.message(), test.message);
  }
}

TEST(BalotoListing, PlaceholdersAreNotPublished) {
  const std::string page = testing::render_baloto_listing({sample_row()});
  const PageRequest request{ymd(2025, 11, 8), kListingUrl};
  const std::string in_minutes =
      replace_all(page, "01 - 06 - 18 - 21 - 24 - <span class=\"balota-red-results\">12</span>", "En minutos");
  Outcome outcome = parse_baloto_listing(in_minutes, request, Juego::kBaloto, config());
  EXPECT_EQ(outcome.kind(), OutcomeKind::kNotPublished);
  EXPECT_EQ(outcome.message(), "baloto listing: balls not drawn yet ('En minutos')");
  const std::string xx = replace_all(page, "01 - 06 - 18 - 21 - 24 - ", "XX - XX - XX - XX - XX - ");
  outcome = parse_baloto_listing(xx, request, Juego::kBaloto, config());
  EXPECT_EQ(outcome.kind(), OutcomeKind::kNotPublished);
  const std::string empty_tbody = testing::render_baloto_listing({});
  outcome = parse_baloto_listing(empty_tbody, request, Juego::kBaloto, config());
  EXPECT_EQ(outcome.kind(), OutcomeKind::kNotPublished);
  EXPECT_EQ(outcome.message(), "baloto listing: table#results-table has no rows");
}

TEST(BalotoListing, ValidationRefusesImpossibleDraws) {
  const PageRequest request{ymd(2025, 11, 8), kListingUrl};
  auto outcome_for = [&](BalotoRow row) {
    return parse_baloto_listing(testing::render_baloto_listing({row}), request, row.juego, config());
  };
  BalotoRow row = sample_row();
  row.numbers[4] = "44";
  EXPECT_EQ(outcome_for(row).message(), "baloto: Baloto ball 44 outside 01–43");
  row = sample_row();
  row.numbers = {"01", "18", "06", "21", "24"};
  EXPECT_EQ(outcome_for(row).message(),
            "baloto listing: row 1: balls not in ascending order (01 18 06 21 24): damaged page");
  row = sample_row();
  row.numbers[1] = "01";
  EXPECT_EQ(outcome_for(row).message(), "baloto: Baloto ball 01 drawn twice");
  row = sample_row();
  row.superbalota = "17";
  EXPECT_EQ(outcome_for(row).message(), "baloto: Baloto superbalota 17 outside 01–16");
  row = sample_row();
  row.numbers.pop_back();
  EXPECT_EQ(outcome_for(row).message(), "baloto: Baloto expected 5 balls, got 4");
  row = sample_row();
  row.sorteo = 2575;
  EXPECT_EQ(outcome_for(row).message(),
            "baloto: Baloto sorteo 2575 does not fit the draw calendar for 2025-11-08 (expected 2576)");
  row = sample_row();
  row.date = ymd(2025, 11, 5);
  const Outcome other_date = outcome_for(row);
  EXPECT_EQ(other_date.kind(), OutcomeKind::kNotPublished);  // newest on the page is older
  EXPECT_EQ(other_date.message(), "baloto listing: newest draw on the page is 2025-11-05");
  const Outcome old_game = parse_baloto_listing(
      testing::render_baloto_listing({{ymd(2016, 3, 5), Juego::kBaloto, 1540, {"01", "06", "18", "21", "24"}, "12"}}),
      {ymd(2016, 3, 5), kListingUrl}, Juego::kBaloto, config());
  EXPECT_EQ(old_game.message(),
            "baloto: Baloto 2016-03-05 predates the current game (5 of 1–43 + superbalota, since 2017-03-01)");
}

TEST(BalotoDrawPage, LayoutChangesWrongDateAndPlaceholders) {
  const BalotoRow row = sample_row();
  const std::string page = testing::render_baloto_draw_page(row);
  const PageRequest request{row.date, "https://www.baloto.com/resultados-baloto/2576/"};
  ASSERT_TRUE(parse_baloto_draw_page(page, request, Juego::kBaloto, config()).is_ok());
  struct Case {
    std::string page;
    OutcomeKind kind;
    std::string message;
  };
  const std::string fifth_ball =
      "        <div class=\"col-md-2 col-2\">\n            <div class=\"text-center\">\n"
      "                <div class=\"yellow-ball gotham-medium\">\n                    24\n"
      "                </div>\n            </div>\n        </div>\n";
  const Case cases[] = {
      {replace_all(page, "balotoBgNew", "balotoBg2"), OutcomeKind::kParseError,
       "baloto draw page: no #balotoBgNew in page"},
      {replace_all(page, "SORTEO 2.576", "SORTEO"), OutcomeKind::kParseError,
       "baloto draw page: no 'SORTEO <n>' in #balotoBgNew"},
      {replace_all(page, "08 de Noviembre de 2025", ""), OutcomeKind::kParseError,
       "baloto draw page: no draw date in #balotoBgNew"},
      {replace_all(page, "container-balls-results", "balls"), OutcomeKind::kParseError,
       "baloto draw page: no .container-balls-results in #balotoBgNew"},
      {replace_all(page, fifth_ball, ""), OutcomeKind::kParseError, "baloto draw page: 4 .yellow-ball, expected 5"},
      {replace_all(page, "red-ball gotham", "ball gotham"), OutcomeKind::kParseError,
       "baloto draw page: 0 .red-ball, expected 1"},
      {replace_all(page, "static/img/baloto.png", "static/img/logo.png"), OutcomeKind::kParseError,
       "baloto draw page: no Baloto/Revancha logo image in #balotoBgNew"},
      {replace_all(page, "08 de Noviembre de 2025", "05 de Noviembre de 2025"), OutcomeKind::kValidationError,
       "baloto: Baloto result is dated 2025-11-05, not 2025-11-08"},
      {replace_all(page, "                    24\n", "                    XX\n"), OutcomeKind::kNotPublished,
       "baloto draw page: balls not drawn yet for sorteo 2576"},
      {testing::render_baloto_draw_page({row.date, Juego::kBaloto, 2576, {}, ""}), OutcomeKind::kNotPublished,
       "baloto draw page: no balls drawn yet for sorteo 2576"},
  };
  for (const auto& test : cases) {
    const Outcome outcome = parse_baloto_draw_page(test.page, request, Juego::kBaloto, config());
    EXPECT_EQ(outcome.kind(), test.kind) << test.message;
    EXPECT_EQ(outcome.message(), test.message);
  }
  const Outcome revancha = parse_baloto_draw_page(page, request, Juego::kRevancha, config());
  EXPECT_EQ(revancha.message(), "baloto draw page: page is for Baloto, asked for Revancha");
}

// ---- Adversarial listings (issue 11) ---------------------------------------------------------

// The result cell of a rendered or real listing row: "01 - 06 - … - <span …>12</span>".
std::string result_cell(const BalotoRow& row) {
  std::string cell;
  for (const auto& ball : row.numbers) cell += ball + " - ";
  return cell + "<span class=\"balota-red-results\">" + row.superbalota + "</span>";
}

std::string swap_texts(std::string text, const std::string& a, const std::string& b) {
  return replace_all(replace_all(replace_all(text, a, "\x01"), b, a), "\x01", b);
}

TEST(BalotoListing, RowsWithEachOthersBallsAreRefusedNeverReadAsTheOtherGame) {
  const BalotoRow baloto = sample_row(Juego::kBaloto);
  const BalotoRow revancha = sample_row(Juego::kRevancha);
  const std::string page = testing::render_baloto_listing({baloto, revancha});
  const PageRequest request{ymd(2025, 11, 8), kListingUrl};
  // Each row keeps its own image and link; only the balls moved.
  const std::string swapped = swap_texts(page, result_cell(baloto), result_cell(revancha));
  ASSERT_NE(swapped, page);
  const Outcome as_baloto = parse_baloto_listing(swapped, request, Juego::kBaloto, config());
  EXPECT_EQ(as_baloto.kind(), OutcomeKind::kValidationError);
  EXPECT_EQ(as_baloto.message(),
            "baloto listing: banner: the Baloto row for 2025-11-08 reads 03 09 17 26 38 + 11 but the banner's "
            "Baloto block reads 01 06 18 21 24 + 12: rows swapped or page damaged");
  const Outcome as_revancha = parse_baloto_listing(swapped, request, Juego::kRevancha, config());
  EXPECT_EQ(as_revancha.kind(), OutcomeKind::kValidationError);
  EXPECT_EQ(as_revancha.message(),
            "baloto listing: banner: the Revancha row for 2025-11-08 reads 01 06 18 21 24 + 12 but the banner's "
            "Revancha block reads 03 09 17 26 38 + 11: rows swapped or page damaged");
  // The same with the rows' images and links swapped instead of their balls.
  const std::string relabelled = swap_texts(swap_texts(page, "/resultados-baloto/2576", "/resultados-revancha/2576"),
                                            "img/baloto-kind.png", "img/revancha-kind.png");
  EXPECT_EQ(parse_baloto_listing(relabelled, request, Juego::kBaloto, config()).kind(), OutcomeKind::kValidationError);
}

TEST(BalotoListing, WhichGameARowIsComesFromItsImageAndLinkNotItsPosition) {
  const BalotoRow baloto = sample_row(Juego::kBaloto);
  const BalotoRow revancha = sample_row(Juego::kRevancha);
  // Revancha's row first: a different order, the same draws.
  const std::string page = testing::render_baloto_listing({revancha, baloto});
  const PageRequest request{ymd(2025, 11, 8), kListingUrl};
  for (const BalotoRow& row : {baloto, revancha}) {
    const Outcome outcome = parse_baloto_listing(page, request, row.juego, config());
    ASSERT_TRUE(outcome.is_ok()) << outcome.message();
    EXPECT_EQ(outcome.draw(), expected_draw(row, kListingUrl, page));
  }
  // One of the two marks missing is not enough to say which game the balls are.
  const std::string ordered = testing::render_baloto_listing({baloto, revancha});
  const Outcome no_image = parse_baloto_listing(replace_all(ordered, "img/baloto-kind.png", "img/kind.png"), request,
                                                Juego::kBaloto, config());
  EXPECT_EQ(no_image.kind(), OutcomeKind::kParseError);
  EXPECT_EQ(no_image.message(),
            "baloto listing: row 1: no baloto-kind/revancha-kind image (the link alone says Baloto): layout changed");
  const Outcome no_link = parse_baloto_listing(replace_all(ordered, "href=\"/resultados-baloto/2576\"", ""), request,
                                               Juego::kBaloto, config());
  EXPECT_EQ(no_link.kind(), OutcomeKind::kParseError);
  EXPECT_EQ(no_link.message(), "baloto listing: row 1: no detail link (the image alone says Baloto): layout changed");
}

TEST(BalotoListing, TheBannerCountsOnlyByItsLogos) {
  const BalotoRow baloto = sample_row(Juego::kBaloto);
  const BalotoRow revancha = sample_row(Juego::kRevancha);
  const std::string page = testing::render_baloto_listing({baloto, revancha});
  const PageRequest request{ymd(2025, 11, 8), kListingUrl};
  const std::string baloto_logo = "que-es-baloto/baloto.png";
  const std::string revancha_logo = "que-es-baloto/revancha.png";
  ASSERT_NE(page.find(baloto_logo), std::string::npos);
  // Logos gone: nothing says whose balls the banner shows.
  const Outcome no_logos = parse_baloto_listing(
      replace_all(replace_all(page, baloto_logo, "que-es-baloto/a.png"), revancha_logo, "que-es-baloto/b.png"), request,
      Juego::kBaloto, config());
  EXPECT_EQ(no_logos.kind(), OutcomeKind::kParseError);
  EXPECT_EQ(
      no_logos.message(),
      "baloto listing: banner: shows 2025-11-08 but no block in it carries the Baloto logo alone: layout changed");
  // The banner's logos swapped: the banner now contradicts the table.
  const Outcome logos_swapped =
      parse_baloto_listing(swap_texts(page, baloto_logo, revancha_logo), request, Juego::kBaloto, config());
  EXPECT_EQ(logos_swapped.kind(), OutcomeKind::kValidationError);
  // The banner's sorteo must be the row's.
  const Outcome other_sorteo = parse_baloto_listing(
      replace_all(page, "Resultado sorteo #2576", "Resultado sorteo #2577"), request, Juego::kBaloto, config());
  EXPECT_EQ(other_sorteo.kind(), OutcomeKind::kValidationError);
  EXPECT_EQ(other_sorteo.message(),
            "baloto listing: banner: shows sorteo 2577 for 2025-11-08, the Baloto row links sorteo 2576");
  // A night the banner does not show is read from its row alone.
  BalotoRow older = baloto;
  older.date = ymd(2025, 11, 5);
  older.sorteo = 2575;
  const std::string two_nights = testing::render_baloto_listing({baloto, revancha, older});
  const Outcome earlier = parse_baloto_listing(two_nights, {older.date, kListingUrl}, Juego::kBaloto, config());
  ASSERT_TRUE(earlier.is_ok()) << earlier.message();
  EXPECT_EQ(earlier.draw(), expected_draw(older, kListingUrl, two_nights));
}

TEST(BalotoOfficialPage, RawSavedListingWithSwappedRowsIsRefused) {
  if (const auto why = testing::missing_data_reason(); !why.empty()) GTEST_SKIP() << why;
  const std::string page = testing::read_file(testing::lottery_data_dir() / "validador-balotos" /
                                              "baloto.com_resultados_page1_2025-12-31.html");
  const std::string baloto_cell = "22 - 24 - 27 - 37 - 40 - <span class=\"balota-red-results\">08</span>";
  const std::string revancha_cell = "09 - 13 - 19 - 41 - 43 - <span class=\"balota-red-results\">16</span>";
  ASSERT_NE(page.find(baloto_cell), std::string::npos);
  ASSERT_NE(page.find(revancha_cell), std::string::npos);
  const std::string swapped = swap_texts(page, baloto_cell, revancha_cell);
  const PageRequest request{ymd(2025, 12, 31), kListingUrl};
  const Outcome outcome = parse_baloto_listing(swapped, request, Juego::kBaloto, config());
  EXPECT_EQ(outcome.kind(), OutcomeKind::kValidationError);
  EXPECT_EQ(outcome.message(),
            "baloto listing: banner: the Baloto row for 2025-12-31 reads 09 13 19 41 43 + 16 but the banner's "
            "Baloto block reads 22 24 27 37 40 + 08: rows swapped or page damaged");
  EXPECT_EQ(parse_baloto_listing(swapped, request, Juego::kRevancha, config()).kind(), OutcomeKind::kValidationError);
  // Older nights are not in the banner: their rows are read as they are.
  EXPECT_TRUE(parse_baloto_listing(swapped, {ymd(2025, 12, 29), kListingUrl}, Juego::kBaloto, config()).is_ok());
}

TEST(BalotoDrawPage, APageShowingBothGamesIsRefusedNotReadByPosition) {
  const BalotoRow baloto = sample_row(Juego::kBaloto);
  const BalotoRow revancha = sample_row(Juego::kRevancha);
  const std::string page = testing::render_baloto_draw_page(baloto);
  const std::string url = "https://www.baloto.com/resultados-baloto/2576/";
  const PageRequest request{baloto.date, url};
  // Revancha's balls block put before Baloto's, inside the Baloto page's container.
  const std::string revancha_page = testing::render_baloto_draw_page(revancha);
  const auto balls_of = [](const std::string& body) {
    const auto from = body.find("<div class=\"container-balls-results\">");
    const std::string close = "        </div>\n";  // the container's own end tag
    const auto to = body.find(close + "      </div>\n    </div>", from) + close.size();
    return body.substr(from, to - from);
  };
  const std::string two_blocks = replace_all(page, balls_of(page), balls_of(revancha_page) + balls_of(page));
  const Outcome blocks = parse_baloto_draw_page(two_blocks, request, Juego::kBaloto, config());
  EXPECT_EQ(blocks.kind(), OutcomeKind::kParseError);
  EXPECT_EQ(blocks.message(),
            "baloto draw page: 2 .container-balls-results in #balotoBgNew, expected 1: layout changed");
  // Both logos: the page no longer says which game it shows.
  const std::string logo = "src=\"https://www.baloto.com/static/img/baloto.png\">";
  ASSERT_NE(page.find(logo), std::string::npos);
  const std::string two_logos = replace_all(page, logo,
                                            "src=\"https://www.baloto.com/static/img/baloto.png\"><img "
                                            "src=\"https://www.baloto.com/static/img/revancha.png\">");
  const Outcome logos = parse_baloto_draw_page(two_logos, request, Juego::kBaloto, config());
  EXPECT_EQ(logos.kind(), OutcomeKind::kParseError);
  EXPECT_EQ(logos.message(), "baloto draw page: both a Baloto and a Revancha logo in #balotoBgNew: layout changed");
}

TEST(BalotoAggregator, TheTableReadIsTheOneItsHeadingSaysIsBaloto) {
  const auto panel = [](const std::string& heading, const std::string& balls, const std::string& superbalota) {
    return "<div class='panel'><div class='panel-heading'><h3>" + heading +
           "</h3></div><div class='panel-body'>"
           "<table class='table'><thead><tr><th>Fecha</th><th>Combinación Ganadora</th><th>Super Balota.</th></tr>"
           "</thead><tbody><tr><td>Sábado 8 de noviembre de 2025</td><td>" +
           balls + "</td><td>" + superbalota + "</td></tr></tbody></table></div></div>";
  };
  const std::string baloto = panel("Combinación Ganadora de la Baloto del año 2025", "01 06 18 21 24", "12");
  const std::string revancha = panel("Combinación Ganadora de la Revancha del año 2025", "03 09 17 26 38", "11");
  const PageRequest request{ymd(2025, 11, 8), "u"};
  // Revancha's table first: still Baloto's balls.
  const std::string page = "<html><body>" + revancha + baloto + "</body></html>";
  const Outcome outcome = parse_resultadobaloto_year(page, request, Juego::kBaloto, config());
  ASSERT_TRUE(outcome.is_ok()) << outcome.message();
  EXPECT_EQ(joined(outcome.draw()), "01 06 18 21 24 12");
  // Only Revancha's table, or one no heading names: refused.
  const Outcome only_revancha =
      parse_resultadobaloto_year("<html><body>" + revancha + "</body></html>", request, Juego::kBaloto, config());
  EXPECT_EQ(only_revancha.kind(), OutcomeKind::kParseError);
  EXPECT_EQ(only_revancha.message(),
            "resultadobaloto: no 'Combinación Ganadora' table under a heading naming Baloto alone (found "
            "'Combinación Ganadora de la Revancha del año 2025'): layout changed");
  const Outcome unnamed = parse_resultadobaloto_year(
      "<html><body>" + panel("Combinación Ganadora del año 2025", "01 06 18 21 24", "12") + "</body></html>", request,
      Juego::kBaloto, config());
  EXPECT_EQ(unnamed.kind(), OutcomeKind::kParseError);
}

}  // namespace
}  // namespace rifa::lottery::baloto
