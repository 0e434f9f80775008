#pragma once

#include <optional>
#include <string>

#include "engine/clock.hpp"

namespace rifa::engine {

// When a lottery draws, as far as its plugin's schedule says. Lets RifaService default a rifa's
// fecha_sorteo to the first draw after sales end and refuse a date the lottery never draws on,
// without the engine knowing about plugins. Dates are "YYYY-MM-DD" in America/Bogota.
class DrawCalendar {
 public:
  virtual ~DrawCalendar() = default;
  // The first draw date of the instance whose draw time is at or after `not_before`; nullopt when
  // the schedule is unknown.
  virtual std::optional<std::string> first_draw_date(const std::string& lottery_instance, TimePoint not_before) = 0;
  // Whether the instance draws on that date; nullopt when the schedule is unknown.
  virtual std::optional<bool> draws_on(const std::string& lottery_instance, const std::string& date_iso) = 0;
};

}  // namespace rifa::engine
