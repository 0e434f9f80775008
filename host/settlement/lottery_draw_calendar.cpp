#include "settlement/lottery_draw_calendar.hpp"

namespace rifa::settlement {

std::optional<std::string> LotteryDrawCalendar::first_draw_date(const std::string& lottery_instance,
                                                                engine::TimePoint not_before) {
  auto schedule = lotteries_.schedule(lottery_instance);
  if (!schedule) return std::nullopt;
  return settlement::first_draw_date(*schedule, not_before);
}

std::optional<bool> LotteryDrawCalendar::draws_on(const std::string& lottery_instance, const std::string& date_iso) {
  auto schedule = lotteries_.schedule(lottery_instance);
  if (!schedule) return std::nullopt;
  return settlement::draws_on(*schedule, date_iso);
}

}  // namespace rifa::settlement
