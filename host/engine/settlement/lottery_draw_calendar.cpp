#include "engine/settlement/lottery_draw_calendar.hpp"

namespace rifa::settlement {

Result<std::vector<engine::ScheduledDraw>> LotteryDrawCalendar::draws_between(const std::string& lottery_instance,
                                                                              const std::string& from_iso,
                                                                              const std::string& to_iso) {
  return lotteries_.draws_between(lottery_instance, from_iso, to_iso);
}

}  // namespace rifa::settlement
