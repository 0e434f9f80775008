#include <gtest/gtest.h>

#include "rifa/lottery/baloto/baloto_rules.hpp"
#include "rifa/lottery/bogota/bogota_rules.hpp"
#include "rifa/lottery/bogota_time.hpp"
#include "rifa/lottery/spanish_date.hpp"
#include "rifa/lottery/valle/valle_rules.hpp"

namespace rifa::lottery {
namespace {

Date ymd(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

std::string range_of(const DrawSchedule& schedule, const Date& date) {
  const auto range = schedule.expected_sorteo(date);
  return range ? describe(*range) : "none";
}

std::string next_after(const DrawSchedule& schedule, const Date& date, int minute) {
  const auto next = schedule.next_draw_after(bogota_instant(date, minute));
  const int at = bogota_minute_of_day(next);
  return format_iso(bogota_date_of(next)) + " " + std::to_string(at / 60) + ":" + (at % 60 < 10 ? "0" : "") +
         std::to_string(at % 60);
}

TEST(BalotoSchedule, MondaysJoinFromJune2025) {
  const auto config = baloto::default_baloto_config();
  const DrawSchedule& schedule = config.schedule;
  EXPECT_TRUE(schedule.is_draw_day(ymd(2025, 5, 31)));    // Saturday
  EXPECT_FALSE(schedule.is_draw_day(ymd(2025, 5, 26)));   // a Monday before the change
  EXPECT_TRUE(schedule.is_draw_day(ymd(2025, 6, 2)));     // first Monday draw (a holiday, too)
  EXPECT_FALSE(schedule.is_draw_day(ymd(2025, 12, 30)));  // Tuesday
  EXPECT_TRUE(schedule.is_draw_day(ymd(2025, 12, 24)));   // Wednesday, Christmas Eve
  EXPECT_EQ(range_of(schedule, ymd(2025, 5, 31)), "2507");
  EXPECT_EQ(range_of(schedule, ymd(2025, 6, 2)), "2508");
  EXPECT_EQ(range_of(schedule, ymd(2025, 11, 8)), "2576");
  EXPECT_EQ(range_of(schedule, ymd(2021, 5, 15)), "2085");
  EXPECT_EQ(range_of(schedule, ymd(2026, 7, 22)), "2686");
  // After the last anchor a few suspended draws are tolerated.
  EXPECT_EQ(range_of(schedule, ymd(2026, 8, 19)), "2696–2698");
  EXPECT_EQ(range_of(schedule, ymd(2025, 12, 30)), "none");
  EXPECT_EQ(next_after(schedule, ymd(2025, 5, 28), 23 * 60), "2025-05-31 23:00");
  EXPECT_EQ(next_after(schedule, ymd(2025, 5, 31), 23 * 60), "2025-06-02 23:00");
  EXPECT_EQ(next_after(schedule, ymd(2025, 12, 31), 22 * 60), "2025-12-31 23:00");
}

TEST(BogotaSchedule, ThursdayDrawsMoveOrSkipOnHolidays) {
  const auto rules = bogota::default_bogota_rules();
  const DrawSchedule& schedule = rules.schedule;
  EXPECT_TRUE(schedule.is_draw_day(ymd(2026, 1, 22)));
  EXPECT_FALSE(schedule.is_draw_day(ymd(2026, 1, 23)));   // Friday of an ordinary week
  EXPECT_FALSE(schedule.is_draw_day(ymd(2025, 12, 25)));  // Christmas Thursday
  EXPECT_TRUE(schedule.is_draw_day(ymd(2025, 12, 26)));   // the moved draw, sorteo 2826
  EXPECT_TRUE(schedule.is_draw_day(ymd(2014, 8, 5)));     // Tuesday: 7 August was a Thursday
  EXPECT_FALSE(schedule.is_draw_day(ymd(2025, 12, 28)));  // never on Sunday
  EXPECT_EQ(range_of(schedule, ymd(2025, 12, 26)), "2826");
  EXPECT_EQ(range_of(schedule, ymd(2025, 12, 18)), "2825");
  EXPECT_EQ(range_of(schedule, ymd(2026, 1, 15)), "2829");
  // 2025-10-23: between anchors 2812 (18 Sep) and 2823 (4 Dec), no holiday Thursday between.
  EXPECT_EQ(range_of(schedule, ymd(2025, 10, 23)), "2817");
  // Holy week 2014 had no draw: 2230 on 10 April, 2231 on 24 April.
  EXPECT_EQ(range_of(schedule, ymd(2014, 4, 24)), "2230–2232");
  EXPECT_EQ(next_after(schedule, ymd(2026, 1, 22), 23 * 60), "2026-01-29 22:30");
  EXPECT_EQ(next_after(schedule, ymd(2025, 12, 22), 12 * 60), "2025-12-26 22:30");
}

TEST(ValleSchedule, WednesdayAt2230) {
  const auto rules = valle::default_valle_rules();
  const DrawSchedule& schedule = rules.schedule;
  EXPECT_TRUE(schedule.is_draw_day(ymd(2026, 9, 2)));
  EXPECT_FALSE(schedule.is_draw_day(ymd(2026, 9, 3)));
  EXPECT_EQ(range_of(schedule, ymd(2026, 1, 14)), "4831");
  EXPECT_EQ(range_of(schedule, ymd(2025, 12, 31)), "4829");
  EXPECT_EQ(range_of(schedule, ymd(2025, 10, 29)), "4820–4822");
  EXPECT_EQ(next_after(schedule, ymd(2026, 9, 2), 22 * 60 + 29), "2026-09-02 22:30");
  EXPECT_EQ(next_after(schedule, ymd(2026, 9, 2), 22 * 60 + 30), "2026-09-09 22:30");
}

}  // namespace
}  // namespace rifa::lottery
