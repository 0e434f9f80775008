#include "rifa/lottery/baloto/baloto_rules.hpp"

#include <set>

#include "rifa/lottery/digits.hpp"
#include "rifa/lottery/spanish_date.hpp"
#include "rifa/lottery/weekly_validation.hpp"

namespace rifa::lottery::baloto {
namespace {

using std::chrono::Monday;
using std::chrono::Saturday;
using std::chrono::Wednesday;

Date ymd(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

}  // namespace

std::string_view to_string(Juego juego) { return juego == Juego::kRevancha ? "Revancha" : "Baloto"; }

BalotoConfig default_baloto_config() {
  ScheduleConfig schedule;
  schedule.periods = {{ymd(2017, 1, 1), {Wednesday, Saturday}}, {ymd(2025, 6, 1), {Monday, Wednesday, Saturday}}};
  schedule.draw_minute_of_day = 23 * 60;
  schedule.holiday_policy = HolidayPolicy::kDrawsOnHolidays;
  schedule.anchors = {
      {2081, ymd(2021, 5, 1)}, {2508, ymd(2025, 6, 2)}, {2599, ymd(2025, 12, 31)}, {2686, ymd(2026, 7, 22)}};
  schedule.max_skipped_draws = 2;
  // The 5/43 + superbalota game replaced the 6/45 one in March 2017 (approximate; see NOTES.md).
  return BalotoConfig{DrawSchedule(std::move(schedule)), ymd(2017, 3, 1)};
}

Outcome validate_baloto_draw(const DrawResult& draw, const Date& requested, Juego juego, const BalotoConfig& config) {
  const std::string prefix = "baloto: " + std::string(to_string(juego)) + " ";
  auto fail = [&](const std::string& message) { return Outcome::validation_error(prefix + message); };
  const std::string wanted = format_iso(requested);
  if (draw.date != wanted) return fail("result is dated " + draw.date + ", not " + wanted);
  if (to_days(requested) < to_days(config.current_game_since)) {
    return fail(wanted + " predates the current game (5 of 1–43 + superbalota, since " +
                format_iso(config.current_game_since) + ")");
  }
  if (!config.schedule.is_draw_day(requested)) {
    return fail(wanted + " (" + std::string(spanish_weekday(weekday_of(requested))) + ") is not a draw day");
  }
  if (draw.numbers.size() != 5) { return fail("expected 5 balls, got " + std::to_string(draw.numbers.size())); }
  std::set<int> seen;
  for (const auto& ball : draw.numbers) {
    if (!is_digit_string(ball, 2)) return fail("ball '" + ball + "' is not 2 digits");
    const int value = *parse_small_int(ball);
    if (value < 1 || value > 43) return fail("ball " + ball + " outside 01–43");
    if (!seen.insert(value).second) return fail("ball " + ball + " drawn twice");
  }
  auto superbalota = draw.extra.find("superbalota");
  if (superbalota == draw.extra.end()) return fail("superbalota missing");
  if (!is_digit_string(superbalota->second, 2)) {
    return fail("superbalota '" + superbalota->second + "' is not 2 digits");
  }
  const int sb = *parse_small_int(superbalota->second);
  if (sb < 1 || sb > 16) return fail("superbalota " + superbalota->second + " outside 01–16");
  if (draw.series) return fail("has a serie; Baloto has none");
  if (std::string problem = check_sorteo(draw.draw_number, requested, config.schedule); !problem.empty()) {
    return fail(problem);
  }
  return Outcome::ok(draw);
}

}  // namespace rifa::lottery::baloto
