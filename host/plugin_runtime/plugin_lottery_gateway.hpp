#pragma once

#include "engine/settlement/lottery_gateway.hpp"
#include "plugin_runtime/plugin_registry.hpp"

namespace rifa::plugin_runtime {

// The gateway over the host's loaded plugin instances.
class PluginLotteryGateway final : public settlement::LotteryGateway {
 public:
  explicit PluginLotteryGateway(const PluginRegistry& registry) : registry_(registry) {}
  settlement::DrawFetch fetch_draw(const std::string& instance, const std::string& date_iso) override;
  Result<settlement::DrawSchedule> schedule(const std::string& instance) override;
  Result<std::vector<engine::ScheduledDraw>> draws_between(const std::string& instance, const std::string& from_iso,
                                                           const std::string& to_iso) override;

 private:
  const PluginRegistry& registry_;
};

}  // namespace rifa::plugin_runtime
