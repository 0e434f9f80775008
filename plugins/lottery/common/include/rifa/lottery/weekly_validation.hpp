#pragma once

#include <string>

#include "rifa/lottery/draw_schedule.hpp"
#include "rifa/lottery/outcome.hpp"

namespace rifa::lottery {

/// Rules of a traditional "billete" lottery (4-digit número + 3-digit serie, weekly draws), such
/// as Lotería de Bogotá and Lotería del Valle.
struct BilleteRules {
  std::string lottery;  ///< short name used to start every message ("bogota")
  int serie_min = 0;
  int serie_max = 999;
  DrawSchedule schedule;
};

/// Ok(draw) when `draw` is a believable result of the draw held on `requested`; otherwise
/// ValidationError naming the first problem: the date differs from the one asked for, no draw is
/// held that day, número not 4 digits, serie not 3 digits or outside [serie_min, serie_max],
/// sorteo outside the range the schedule expects, a seco malformed.
Outcome validate_billete_draw(const DrawResult& draw, const Date& requested, const BilleteRules& rules);

/// "2830" or "2829–2831".
std::string describe(const SorteoRange& range);

/// Ok when `sorteo_text` is digits and inside the schedule's range for `date`; otherwise the
/// ValidationError message (without the lottery prefix). Shared by every lottery's validator.
std::string check_sorteo(const std::string& sorteo_text, const Date& date, const DrawSchedule& schedule);

}  // namespace rifa::lottery
