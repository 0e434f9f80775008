#pragma once

#include "engine/draw_calendar.hpp"
#include "settlement/lottery_gateway.hpp"

namespace rifa::settlement {

// engine::DrawCalendar from the lottery plugins' schedule() answers. A plugin without a schedule
// (or an unknown instance) makes every answer "unknown", so RifaService falls back to fecha_fin's date.
class LotteryDrawCalendar final : public engine::DrawCalendar {
 public:
  explicit LotteryDrawCalendar(LotteryGateway& lotteries) : lotteries_(lotteries) {}
  std::optional<std::string> first_draw_date(const std::string& lottery_instance, engine::TimePoint not_before) override;
  std::optional<bool> draws_on(const std::string& lottery_instance, const std::string& date_iso) override;

 private:
  LotteryGateway& lotteries_;
};

}  // namespace rifa::settlement
