// expect: the lottery class is abstract: it does not override parse_page. Add `rifa::sdk::DrawAnswer parse_page(
#include "rifa/sdk/plugin.hpp"

class Half final : public rifa::sdk::LotteryPlugin {
 public:
  using LotteryPlugin::LotteryPlugin;
  rifa::sdk::DrawAnswer fetch_draw(const std::string&) override { return rifa::sdk::NotPublished{"later"}; }
  std::string schedule() override { return "{}"; }
};

RIFA_PLUGIN(Half, RIFA_KIND_LOTTERY, "half", "1.0.0", "forgot parse_page", nullptr)
