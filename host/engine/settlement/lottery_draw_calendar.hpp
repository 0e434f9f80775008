#pragma once

#include "engine/draw_calendar.hpp"
#include "engine/settlement/lottery_gateway.hpp"

namespace rifa::settlement {

// engine::DrawCalendar from the lottery plugins' own calendars (draw_dates, else schedule()'s
// weekdays). A plugin with neither, or an unknown instance, answers an error, and RifaService
// then treats the draw instant as unknown (see RifaService).
class LotteryDrawCalendar final : public engine::DrawCalendar {
 public:
  explicit LotteryDrawCalendar(LotteryGateway& lotteries) : lotteries_(lotteries) {}
  Result<std::vector<engine::ScheduledDraw>> draws_between(const std::string& lottery_instance,
                                                           const std::string& from_iso,
                                                           const std::string& to_iso) override;

 private:
  LotteryGateway& lotteries_;
};

}  // namespace rifa::settlement
