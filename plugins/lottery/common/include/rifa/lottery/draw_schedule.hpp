#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "rifa/lottery/date.hpp"

namespace rifa::lottery {

/// The weekdays a lottery draws on from `since` on (until the next period starts).
struct SchedulePeriod {
  Date since;
  std::vector<std::chrono::weekday> days;
};

/// What the lottery does when a regular draw day is a national holiday.
enum class HolidayPolicy {
  kDrawsOnHolidays = 1,  ///< the draw is held anyway (Baloto)
  /// The draw moves to another non-holiday day Monday–Saturday of the same week, or that week has
  /// no draw at all (Lotería de Bogotá, Lotería del Valle: e.g. Holy Week, 1 January).
  kMovesWithinWeekOrSkips = 2,
};

/// A known (sorteo, date) pair. Sorteo numbers count draws; anchors pin the count.
struct SorteoAnchor {
  int sorteo = 0;
  Date date;
};

struct ScheduleConfig {
  std::vector<SchedulePeriod> periods;    ///< sorted by `since`; at least one
  int draw_minute_of_day = 22 * 60 + 30;  ///< local (America/Bogota) draw time
  HolidayPolicy holiday_policy = HolidayPolicy::kDrawsOnHolidays;
  std::vector<SorteoAnchor> anchors;  ///< sorted by date; at least one
  /// How many regular draws may have been cancelled (suspensions) on the open side of the
  /// nearest anchor; widens the accepted sorteo range by that much.
  int max_skipped_draws = 2;
};

/// Inclusive range of sorteo numbers a draw on some date may carry. min == max when the anchors
/// pin it exactly.
struct SorteoRange {
  int min = 0;
  int max = 0;
  bool contains(int sorteo) const { return sorteo >= min && sorteo <= max; }
};

/// A lottery's draw calendar in America/Bogota. Thread-safe (immutable after construction).
class DrawSchedule {
 public:
  explicit DrawSchedule(ScheduleConfig config);

  const ScheduleConfig& config() const { return config_; }

  /// True when a draw may be held on `date`: a regular day that is not a holiday (or any regular
  /// day under kDrawsOnHolidays), or — under kMovesWithinWeekOrSkips — a non-holiday day
  /// Monday–Saturday of a week whose regular day is a holiday (the operator picks which).
  bool is_draw_day(const Date& date) const;

  /// The first scheduled draw instant strictly after `instant`. For a week whose regular day is a
  /// holiday under kMovesWithinWeekOrSkips this is the first possible day after the holiday: an
  /// estimate, the official calendar may pick another day or none.
  std::chrono::sys_seconds next_draw_after(std::chrono::sys_seconds instant) const;

  /// The dates from `from` to `to` (inclusive) a draw is expected on, in order: every regular day
  /// that surely has a draw, and — under kMovesWithinWeekOrSkips — for a regular day that is a
  /// holiday, the first possible day after it in the same week (the day next_draw_after names;
  /// none when the week has no such day). This is the calendar a rifa's draw date is checked with.
  std::vector<Date> expected_draw_dates(const Date& from, const Date& to) const;

  /// Sorteo numbers a draw held on `date` may carry, from the nearest anchors; nullopt when
  /// `date` is not a draw day.
  std::optional<SorteoRange> expected_sorteo(const Date& date) const;

  /// The regular weekdays in force on `date`.
  const std::vector<std::chrono::weekday>& regular_days(const Date& date) const;

 private:
  bool is_regular_day(const Date& date) const;
  // A regular draw day ("slot") that surely has a draw, or one that may have none.
  bool slot_is_certain(const Date& slot) const;
  // The regular day a draw held on `date` stands for (itself, or its week's regular day).
  std::optional<Date> slot_of(const Date& date) const;
  // Whether `date` is in expected_draw_dates (a certain regular day, or the day a holiday's draw
  // is estimated to move to).
  bool is_expected_draw_day(const Date& date) const;
  // Regular slots in (from, to]: how many are certain and how many optional.
  void count_slots(const Date& from, const Date& to, int& certain, int& optional) const;

  ScheduleConfig config_;
};

}  // namespace rifa::lottery
