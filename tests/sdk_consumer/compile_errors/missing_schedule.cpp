// expect: the lottery class has no schedule(). Add `std::string schedule() override { return R"({"timezone": "America/Bogota"
#include "rifa/sdk/plugin.hpp"

class Unscheduled final : public rifa::sdk::LotteryPlugin {
 public:
  using LotteryPlugin::LotteryPlugin;
  rifa::sdk::DrawAnswer fetch_draw(const std::string&) override { return R"({"date": "2026-01-22"})"; }
  rifa::sdk::DrawAnswer parse_page(const std::string&, const std::string&, const std::string&) override {
    return rifa::sdk::NotPublished{"later"};
  }
};

RIFA_PLUGIN(Unscheduled, RIFA_KIND_LOTTERY, "unscheduled", "1.0.0", "forgot schedule", nullptr)
