#include "rifa/lottery/valle/valle_rules.hpp"

namespace rifa::lottery::valle {
namespace {

Date ymd(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

}  // namespace

BilleteRules default_valle_rules() {
  ScheduleConfig schedule;
  schedule.periods = {{ymd(2000, 1, 1), {std::chrono::Wednesday}}};
  schedule.draw_minute_of_day = 22 * 60 + 30;
  schedule.holiday_policy = HolidayPolicy::kMovesWithinWeekOrSkips;
  schedule.anchors = {
      {4826, ymd(2025, 12, 10)}, {4831, ymd(2026, 1, 14)}, {4832, ymd(2026, 1, 21)}, {4864, ymd(2026, 9, 2)}};
  schedule.max_skipped_draws = 2;
  return BilleteRules{"valle", 0, 999, DrawSchedule(std::move(schedule))};
}

}  // namespace rifa::lottery::valle
