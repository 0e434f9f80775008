#include "settlement/lottery_gateway.hpp"

#include "plugin_runtime/plugin_registry.hpp"

namespace rifa::settlement {
namespace {

plugin_runtime::PluginInstance* lottery(const plugin_runtime::PluginRegistry& registry, const std::string& id) {
  auto* p = registry.find(id);
  return (p && p->kind() == RIFA_KIND_LOTTERY) ? p : nullptr;
}

}  // namespace

DrawFetch PluginLotteryGateway::fetch_draw(const std::string& instance, const std::string& date_iso) {
  auto* p = lottery(registry_, instance);
  if (!p) return {DrawFetchStatus::kFailed, "", "no lottery plugin instance '" + instance + "' is loaded"};
  auto call = p->fetch_draw(date_iso);
  if (call.ok()) return {DrawFetchStatus::kPublished, call.result, ""};
  if (call.status == RIFA_NOT_PUBLISHED) {
    return {DrawFetchStatus::kNotPublished, "", call.error.empty() ? "not published yet" : call.error};
  }
  return {DrawFetchStatus::kFailed, "", plugin_runtime::status_name(call.status) + ": " + call.error};
}

Result<DrawSchedule> PluginLotteryGateway::schedule(const std::string& instance) {
  auto* p = lottery(registry_, instance);
  if (!p) return make_error(ErrorCode::kNotFound, "no lottery plugin instance '" + instance + "' is loaded");
  auto call = p->schedule();
  if (!call.ok()) return make_error(ErrorCode::kUnsupported, "lottery '" + instance + "' gives no schedule: " + call.error);
  auto parsed = nlohmann::json::parse(call.result, nullptr, false);
  if (parsed.is_discarded()) return make_error(ErrorCode::kParse, "lottery '" + instance + "': schedule is not JSON");
  return parse_draw_schedule(parsed);
}

}  // namespace rifa::settlement
