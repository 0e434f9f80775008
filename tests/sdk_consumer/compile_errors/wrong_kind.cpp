// expect: Lottery derives from rifa::sdk::LotteryPlugin: write RIFA_KIND_LOTTERY, not RIFA_KIND_NOTIFIER
#include "rifa/sdk/plugin.hpp"

class Lottery final : public rifa::sdk::LotteryPlugin {
 public:
  using LotteryPlugin::LotteryPlugin;
  rifa::sdk::DrawAnswer fetch_draw(const std::string&) override { return rifa::sdk::NotPublished{"later"}; }
  rifa::sdk::DrawAnswer parse_page(const std::string&, const std::string&, const std::string&) override {
    return rifa::sdk::NotPublished{"later"};
  }
  std::string schedule() override { return "{}"; }
};

RIFA_PLUGIN(Lottery, RIFA_KIND_NOTIFIER, "lottery", "1.0.0", "wrong kind", nullptr)
