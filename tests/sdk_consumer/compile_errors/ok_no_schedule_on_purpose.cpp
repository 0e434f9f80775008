// expect: OK
#include "rifa/sdk/plugin.hpp"

class Daily final : public rifa::sdk::LotteryPlugin {
 public:
  static constexpr bool kPublishesNoSchedule = true;  // the host asks every day, on purpose
  using LotteryPlugin::LotteryPlugin;
  rifa::sdk::DrawAnswer fetch_draw(const std::string&) override { return R"({"date": "2026-01-22"})"; }
  rifa::sdk::DrawAnswer parse_page(const std::string&, const std::string&, const std::string&) override {
    return rifa::sdk::NotPublished{"later"};
  }
};

RIFA_PLUGIN(Daily, RIFA_KIND_LOTTERY, "daily", "1.0.0", "no schedule on purpose", nullptr)
