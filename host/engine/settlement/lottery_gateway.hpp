#pragma once

#include <string>
#include <vector>

#include "common/result.hpp"
#include "engine/settlement/draw_timing.hpp"

namespace rifa::settlement {

enum class DrawFetchStatus { kPublished, kNotPublished, kFailed };

// One answer of a lottery instance for one date. `body` is the plugin's JSON text as returned,
// unchecked: settlement validates it before anything is stored.
struct DrawFetch {
  DrawFetchStatus status = DrawFetchStatus::kFailed;
  std::string body;
  std::string message;  // why not published / why it failed
};

// What settlement asks of lottery plugins (a port: plugin_runtime/plugin_lottery_gateway adapts the
// loaded plugin instances to it), so the service is testable and the plugin runtime stays at the edge.
class LotteryGateway {
 public:
  virtual ~LotteryGateway() = default;
  virtual DrawFetch fetch_draw(const std::string& instance, const std::string& date_iso) = 0;
  // kNotFound for an unknown instance; kUnsupported when the plugin has no schedule.
  virtual Result<DrawSchedule> schedule(const std::string& instance) = 0;
  // The instance's draws on the dates from..to (inclusive), by its plugin's own calendar
  // (draw_dates, ABI 1.1), else by schedule()'s weekdays. kInvalidArgument for a bad range,
  // kNotFound / kUnsupported as schedule(), kUnavailable when the plugin's calendar fails.
  virtual Result<std::vector<engine::ScheduledDraw>> draws_between(const std::string& instance,
                                                                   const std::string& from_iso,
                                                                   const std::string& to_iso) = 0;
};
}  // namespace rifa::settlement
