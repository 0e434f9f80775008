#pragma once

#include <string>
#include <vector>

#include "common/result.hpp"
#include "engine/clock.hpp"

namespace rifa::engine {

// One draw of a lottery: its date ("YYYY-MM-DD", America/Bogota), its local time ("HH:MM") and
// the instant it is held. Sales of a rifa decided by it must end before `at`: from then on the
// result may be public.
struct ScheduledDraw {
  std::string date;
  std::string time;
  TimePoint at;
};

// The most days one draws_between call may span (inclusive), so a caller cannot make a plugin
// walk an unbounded calendar; within what draw_dates promises plugins (sdk/ABI.md, 400).
inline constexpr int kMaxDrawRangeDays = 366;

// When a lottery draws, by its plugin's own calendar (holidays and moved draws included). Lets
// RifaService default a rifa's fecha_sorteo to the first draw after sales end and check that
// fecha_fin is before the draw instant, without the engine knowing about plugins.
class DrawCalendar {
 public:
  virtual ~DrawCalendar() = default;
  // The draws of the instance on the dates from `from_iso` to `to_iso` (inclusive, at most
  // kMaxDrawRangeDays), in date order. kNotFound for an unknown instance, kUnsupported when its
  // plugin gives no calendar at all, kInvalidArgument for a bad range.
  virtual Result<std::vector<ScheduledDraw>> draws_between(const std::string& lottery_instance,
                                                           const std::string& from_iso, const std::string& to_iso) = 0;
};

}  // namespace rifa::engine
