#include "rifa/lottery/draw_schedule.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "rifa/lottery/bogota_time.hpp"
#include "rifa/lottery/holidays.hpp"

namespace rifa::lottery {
namespace {

// Monday of the ISO week containing `date`.
Date monday_of(const Date& date) {
  const int from_monday = (static_cast<int>(weekday_of(date).c_encoding()) + 6) % 7;
  return add_days(date, -from_monday);
}

}  // namespace

DrawSchedule::DrawSchedule(ScheduleConfig config) : config_(std::move(config)) {
  if (config_.periods.empty()) throw std::invalid_argument("draw schedule: no periods");
  if (config_.anchors.empty()) throw std::invalid_argument("draw schedule: no sorteo anchors");
  std::sort(config_.periods.begin(), config_.periods.end(),
            [](const auto& a, const auto& b) { return to_days(a.since) < to_days(b.since); });
  std::sort(config_.anchors.begin(), config_.anchors.end(),
            [](const auto& a, const auto& b) { return to_days(a.date) < to_days(b.date); });
}

const std::vector<std::chrono::weekday>& DrawSchedule::regular_days(const Date& date) const {
  const SchedulePeriod* current = &config_.periods.front();
  for (const auto& period : config_.periods) {
    if (to_days(period.since) <= to_days(date)) current = &period;
  }
  return current->days;
}

bool DrawSchedule::is_regular_day(const Date& date) const {
  const auto& days = regular_days(date);
  return std::find(days.begin(), days.end(), weekday_of(date)) != days.end();
}

bool DrawSchedule::slot_is_certain(const Date& slot) const {
  return config_.holiday_policy == HolidayPolicy::kDrawsOnHolidays || !is_colombian_holiday(slot);
}

std::optional<Date> DrawSchedule::slot_of(const Date& date) const {
  if (is_regular_day(date)) {
    if (slot_is_certain(date)) return date;
    return std::nullopt;  // a holiday under the moving policy: the draw is elsewhere that week
  }
  if (config_.holiday_policy != HolidayPolicy::kMovesWithinWeekOrSkips) return std::nullopt;
  if (weekday_of(date) == std::chrono::Sunday || is_colombian_holiday(date)) return std::nullopt;
  const Date monday = monday_of(date);
  for (int i = 0; i < 6; ++i) {
    const Date day = add_days(monday, i);
    if (is_regular_day(day) && !slot_is_certain(day)) return day;
  }
  return std::nullopt;
}

bool DrawSchedule::is_draw_day(const Date& date) const { return slot_of(date).has_value(); }

void DrawSchedule::count_slots(const Date& from, const Date& to, int& certain, int& optional) const {
  certain = 0;
  optional = 0;
  for (Date day = add_days(from, 1); to_days(day) <= to_days(to); day = add_days(day, 1)) {
    if (!is_regular_day(day)) continue;
    if (slot_is_certain(day)) {
      ++certain;
    } else {
      ++optional;
    }
  }
}

std::optional<SorteoRange> DrawSchedule::expected_sorteo(const Date& date) const {
  const std::optional<Date> slot = slot_of(date);
  if (!slot) return std::nullopt;
  // Anchors are real draws, so compare them by slot as well.
  auto anchor_slot = [&](const SorteoAnchor& anchor) { return slot_of(anchor.date).value_or(anchor.date); };
  const SorteoAnchor* before = nullptr;
  const SorteoAnchor* after = nullptr;
  for (const auto& anchor : config_.anchors) {
    const auto anchor_day = to_days(anchor_slot(anchor));
    if (anchor_day <= to_days(*slot)) before = &anchor;
    if (anchor_day >= to_days(*slot) && after == nullptr) after = &anchor;
  }
  SorteoRange range{std::numeric_limits<int>::min(), std::numeric_limits<int>::max()};
  // Each slot between an anchor and `date` adds one draw if it was held. A certain slot may still
  // have been suspended (up to max_skipped_draws), an optional one may or may not have had a
  // draw; the draws on `date` and on the anchor themselves were held.
  const int skipped = config_.max_skipped_draws;
  if (before != nullptr) {
    int certain = 0;
    int optional = 0;
    count_slots(anchor_slot(*before), *slot, certain, optional);
    const int slots = certain + optional;
    const int held_at_least = certain - skipped + (slot_is_certain(*slot) ? 0 : 1);
    range.max = std::min(range.max, before->sorteo + slots);
    range.min = std::max(range.min, before->sorteo + std::max(slots > 0 ? 1 : 0, held_at_least));
  }
  if (after != nullptr) {
    int certain = 0;
    int optional = 0;
    const Date after_slot = anchor_slot(*after);
    count_slots(*slot, after_slot, certain, optional);
    const int slots = certain + optional;
    const int held_at_least = certain - skipped + (slot_is_certain(after_slot) ? 0 : 1);
    range.min = std::max(range.min, after->sorteo - slots);
    range.max = std::min(range.max, after->sorteo - std::max(slots > 0 ? 1 : 0, held_at_least));
  }
  return range;
}

bool DrawSchedule::is_expected_draw_day(const Date& date) const {
  if (is_regular_day(date) && slot_is_certain(date)) return true;
  if (config_.holiday_policy != HolidayPolicy::kMovesWithinWeekOrSkips || !is_draw_day(date)) return false;
  // Only the first possible day after the holiday counts as the estimate.
  const Date holiday_slot = *slot_of(date);
  if (to_days(date) <= to_days(holiday_slot)) return false;
  for (Date d = add_days(holiday_slot, 1); to_days(d) < to_days(date); d = add_days(d, 1)) {
    if (is_draw_day(d)) return false;
  }
  return true;
}

std::vector<Date> DrawSchedule::expected_draw_dates(const Date& from, const Date& to) const {
  std::vector<Date> dates;
  for (Date day = from; to_days(day) <= to_days(to); day = add_days(day, 1)) {
    if (is_expected_draw_day(day)) dates.push_back(day);
  }
  return dates;
}

std::chrono::sys_seconds DrawSchedule::next_draw_after(std::chrono::sys_seconds instant) const {
  Date day = bogota_date_of(instant);
  // A week has at least one regular day, so two weeks of looking always finds a draw unless every
  // regular day is a holiday, which no calendar has; bound the walk anyway.
  for (int i = 0; i < 400; ++i, day = add_days(day, 1)) {
    const auto draw_at = bogota_instant(day, config_.draw_minute_of_day);
    if (draw_at > instant && is_expected_draw_day(day)) return draw_at;
  }
  throw std::logic_error("draw schedule: no draw day within 400 days");
}

}  // namespace rifa::lottery
