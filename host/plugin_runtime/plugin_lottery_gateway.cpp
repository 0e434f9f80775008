#include "plugin_runtime/plugin_lottery_gateway.hpp"

namespace rifa::plugin_runtime {

using settlement::days_between;
using settlement::DrawFetch;
using settlement::DrawFetchStatus;
using settlement::DrawSchedule;
using settlement::parse_draw_dates;
using settlement::parse_draw_schedule;

namespace {

std::shared_ptr<PluginInstance> lottery(const PluginRegistry& registry, const std::string& id) {
  auto p = registry.find(id);
  return (p && p->kind() == RIFA_KIND_LOTTERY) ? p : nullptr;
}

}  // namespace

DrawFetch PluginLotteryGateway::fetch_draw(const std::string& instance, const std::string& date_iso) {
  auto p = lottery(registry_, instance);
  if (!p) return {DrawFetchStatus::kFailed, "", "no lottery plugin instance '" + instance + "' is loaded"};
  auto call = p->fetch_draw(date_iso);
  if (call.ok()) return {DrawFetchStatus::kPublished, call.result, ""};
  if (call.status == RIFA_NOT_PUBLISHED) {
    return {DrawFetchStatus::kNotPublished, "", call.error.empty() ? "not published yet" : call.error};
  }
  return {DrawFetchStatus::kFailed, "", status_name(call.status) + ": " + call.error};
}

Result<DrawSchedule> PluginLotteryGateway::schedule(const std::string& instance) {
  auto p = lottery(registry_, instance);
  if (!p) return make_error(ErrorCode::kNotFound, "no lottery plugin instance '" + instance + "' is loaded");
  auto call = p->schedule();
  if (!call.ok())
    return make_error(ErrorCode::kUnsupported, "lottery '" + instance + "' gives no schedule: " + call.error);
  auto parsed = nlohmann::json::parse(call.result, nullptr, false);
  if (parsed.is_discarded()) return make_error(ErrorCode::kParse, "lottery '" + instance + "': schedule is not JSON");
  return parse_draw_schedule(parsed);
}

Result<std::vector<engine::ScheduledDraw>> PluginLotteryGateway::draws_between(const std::string& instance,
                                                                               const std::string& from_iso,
                                                                               const std::string& to_iso) {
  const auto span = days_between(from_iso, to_iso);
  if (!span) return make_error(ErrorCode::kInvalidArgument, "draw range: dates must be YYYY-MM-DD");
  if (*span < 0) return make_error(ErrorCode::kInvalidArgument, "draw range: " + to_iso + " is before " + from_iso);
  if (*span >= engine::kMaxDrawRangeDays) {
    return make_error(ErrorCode::kInvalidArgument,
                      "draw range: at most " + std::to_string(engine::kMaxDrawRangeDays) + " days at a time");
  }
  auto p = lottery(registry_, instance);
  if (!p) return make_error(ErrorCode::kNotFound, "no lottery plugin instance '" + instance + "' is loaded");
  auto call = p->draw_dates(from_iso, to_iso);
  if (call.status == RIFA_ERR_UNSUPPORTED) {
    // A 1.0 plugin, or one that keeps no calendar: its weekdays are all there is (no holidays).
    auto weekly = schedule(instance);
    if (!weekly) return weekly.error();
    return scheduled_draws(*weekly, from_iso, to_iso);
  }
  if (!call.ok()) {
    return make_error(ErrorCode::kUnavailable, "lottery '" + instance + "' could not give its draw calendar (" +
                                                   status_name(call.status) + "): " + call.error);
  }
  auto parsed = nlohmann::json::parse(call.result, nullptr, false);
  if (parsed.is_discarded())
    return make_error(ErrorCode::kUnavailable, "lottery '" + instance + "': draw_dates is not JSON");
  auto draws = parse_draw_dates(parsed, from_iso, to_iso);
  if (!draws) return make_error(ErrorCode::kUnavailable, "lottery '" + instance + "': " + draws.error().message);
  return draws;
}

}  // namespace rifa::plugin_runtime
