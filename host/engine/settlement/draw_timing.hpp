#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "engine/draw_calendar.hpp"

// When a lottery draws and publishes, from the plugin's schedule() answer (sdk/ABI.md):
//   {"timezone": "America/Bogota", "days": ["thursday"], "time": "22:30", "publish_delay_minutes": 60}
// Dates are civil dates in America/Bogota, which has had no daylight saving time since 1993, so a
// fixed UTC-5 offset is exact.
namespace rifa::settlement {

using TimePoint = std::chrono::system_clock::time_point;

struct DrawSchedule {
  std::set<unsigned> weekdays;  // 0 = sunday ... 6 = saturday (std::chrono::weekday::c_encoding)
  int draw_minutes = 0;         // minutes after local midnight
  int publish_delay_minutes = 0;
};

// kInvalidArgument naming the member when the JSON is not a schedule we understand.
Result<DrawSchedule> parse_draw_schedule(const nlohmann::json& schedule);

// "YYYY-MM-DD" of the instant in America/Bogota.
std::string bogota_date(TimePoint t);
// Midnight America/Bogota of a "YYYY-MM-DD" date; nullopt when it is not a real date.
std::optional<TimePoint> bogota_midnight(const std::string& date_iso);
bool is_iso_date(const std::string& text);

// When the draw of `date_iso` should be out: its draw time plus the publication delay.
TimePoint expected_publication(const DrawSchedule& schedule, const std::string& date_iso);
// The first draw date whose draw time is at or after `not_before` (sales must end before the
// draw), looking at most 31 days ahead; nullopt when the schedule has no draw day at all.
std::optional<std::string> first_draw_date(const DrawSchedule& schedule, TimePoint not_before);
// Whether the lottery draws on that date at all.
bool draws_on(const DrawSchedule& schedule, const std::string& date_iso);

// "YYYY-MM-DD" `days` days after (or before) `date_iso`; nullopt when it is not a real date.
std::optional<std::string> add_days(const std::string& date_iso, int days);
// Days from `from_iso` to `to_iso` (negative when reversed); nullopt unless both are real dates.
std::optional<int> days_between(const std::string& from_iso, const std::string& to_iso);

// The draws a weekday schedule holds on the dates from..to (inclusive): the fallback for a plugin
// that has no draw_dates (ABI 1.0). It knows nothing of holidays. Empty for malformed dates.
std::vector<engine::ScheduledDraw> scheduled_draws(const DrawSchedule& schedule, const std::string& from_iso,
                                                   const std::string& to_iso);
// A plugin's draw_dates answer, [{"date", "time", "timezone"}] (sdk/ABI.md), as draws in date
// order, each inside [from_iso, to_iso]; kInvalidArgument naming the element otherwise.
Result<std::vector<engine::ScheduledDraw>> parse_draw_dates(const nlohmann::json& draws, const std::string& from_iso,
                                                            const std::string& to_iso);

}  // namespace rifa::settlement
