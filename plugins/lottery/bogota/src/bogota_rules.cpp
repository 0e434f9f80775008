#include "rifa/lottery/bogota/bogota_rules.hpp"

namespace rifa::lottery::bogota {
namespace {

Date ymd(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

}  // namespace

BilleteRules default_bogota_rules() {
  ScheduleConfig schedule;
  schedule.periods = {{ymd(2000, 1, 1), {std::chrono::Thursday}}};
  schedule.draw_minute_of_day = 22 * 60 + 30;
  schedule.holiday_policy = HolidayPolicy::kMovesWithinWeekOrSkips;
  schedule.anchors = {
      {2216, ymd(2014, 1, 2)},  {2267, ymd(2015, 1, 8)},  {2319, ymd(2016, 1, 7)},   {2370, ymd(2017, 1, 5)},
      {2421, ymd(2018, 1, 4)},  {2473, ymd(2019, 1, 3)},  {2524, ymd(2020, 1, 2)},   {2535, ymd(2020, 3, 19)},
      {2536, ymd(2020, 5, 14)}, {2570, ymd(2021, 1, 7)},  {2621, ymd(2022, 1, 6)},   {2668, ymd(2022, 12, 10)},
      {2812, ymd(2025, 9, 18)}, {2823, ymd(2025, 12, 4)}, {2826, ymd(2025, 12, 26)}, {2830, ymd(2026, 1, 22)},
      {2832, ymd(2026, 2, 5)},
  };
  schedule.max_skipped_draws = 2;
  return BilleteRules{"bogota", 0, 499, DrawSchedule(std::move(schedule))};
}

}  // namespace rifa::lottery::bogota
