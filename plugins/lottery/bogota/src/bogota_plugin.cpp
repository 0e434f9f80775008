// lottery_bogota: Lotería de Bogotá from its official results page (which shows only the latest
// draw), or a mirror of it, through the host's transport.
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "rifa/lottery/bogota/bogota_rules.hpp"
#include "rifa/lottery/bogota/results_page_parser.hpp"
#include "rifa/lottery/digits.hpp"
#include "rifa/lottery/plugin_support.hpp"
#include "rifa/sdk/plugin.hpp"

namespace rifa::plugins::bogota {
namespace {

namespace lt = rifa::lottery;
namespace lp = rifa::lottery::plugin;
using nlohmann::json;

class BogotaLottery final : public sdk::LotteryPlugin {
 public:
  BogotaLottery(sdk::Host host, std::string instance_id, std::string config_json)
      : LotteryPlugin(host, std::move(instance_id), std::move(config_json)),
        rules_(lt::bogota::default_bogota_rules()) {
    const json config = lp::parse_config(this->config_json());
    rules_.serie_min = config.value("serie_min", rules_.serie_min);
    rules_.serie_max = config.value("serie_max", rules_.serie_max);
    if (rules_.serie_min > rules_.serie_max) {
      throw sdk::Error(RIFA_ERR_CONFIG, "serie_min (" + std::to_string(rules_.serie_min) + ") is above serie_max (" +
                                            std::to_string(rules_.serie_max) + ")");
    }
    timeout_ms_ = config.value("timeout_ms", 15000u);
    publish_delay_minutes_ = config.value("publish_delay_minutes", 60);
    sources_ = lp::read_sources(config, {{"loteriadebogota", "https://loteriadebogota.com/resultados/"}});
    policy_ = lp::read_policy(config);
  }

  sdk::DrawAnswer fetch_draw(const std::string& date_iso) override {
    const lt::Date date = lp::require_date(date_iso);
    if (auto reason = lp::not_drawn_yet(host(), "bogota", date, rules_.schedule, publish_delay_minutes_);
        !reason.empty()) {
      return sdk::NotPublished{reason};
    }
    return lp::answer(lt::run_sources("bogota", lp::source_names(sources_), policy_, [&](std::size_t i) {
      sdk::HttpRequest request;
      request.url = sources_[i].url;
      request.headers = {{"Accept", "text/html"}};
      request.timeout_ms = timeout_ms_;
      auto fetched = lp::perform(host(), request, "bogota");
      if (auto* failed = std::get_if<lt::SourceAttempt>(&fetched)) return std::move(*failed);
      return lp::outcome_attempt(
          lt::bogota::parse_bogota_results(std::get<sdk::HttpResponse>(fetched).body, {date, request.url}, rules_));
    }));
  }

  sdk::DrawAnswer parse_page(const std::string& date_iso, const std::string& url, const std::string& body) override {
    return lp::answer(lt::bogota::parse_bogota_results(body, {lp::require_date(date_iso), url}, rules_));
  }

  std::string draw_dates(const std::string& from_iso, const std::string& to_iso) override {
    return lp::draw_dates_json(rules_.schedule, from_iso, to_iso);
  }

  std::string schedule() override {
    json schedule = lp::schedule_json(rules_.schedule, lp::today_in_bogota(host()), publish_delay_minutes_);
    schedule["serie_range"] = {lt::pad_digits(rules_.serie_min, 3), lt::pad_digits(rules_.serie_max, 3)};
    return schedule.dump();
  }

 private:
  lt::BilleteRules rules_;
  uint32_t timeout_ms_ = 15000;
  int publish_delay_minutes_ = 60;
  std::vector<lp::SourceConfig> sources_;
  lt::SourcePolicy policy_ = lt::SourcePolicy::kFirstThatAnswers;
};

}  // namespace
}  // namespace rifa::plugins::bogota

RIFA_PLUGIN(rifa::plugins::bogota::BogotaLottery, RIFA_KIND_LOTTERY, "bogota", "1.0.0",
            "Loteria de Bogota (4-digit numero, 3-digit serie, secos) from loteriadebogota.com",
            R"json({
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "timeout_ms": {"type": "integer", "minimum": 1000, "maximum": 120000, "default": 15000},
    "serie_min": {"type": "integer", "minimum": 0, "maximum": 999, "default": 0},
    "serie_max": {"type": "integer", "minimum": 0, "maximum": 999, "default": 499,
                  "description": "Ordinary draws used 000-449 for years; January 2026 secos carry 450-456"},
    "publish_delay_minutes": {"type": "integer", "minimum": 0, "maximum": 1440, "default": 60,
                              "description": "No request before the draw time (22:30 America/Bogota) plus this"},
    "policy": {"type": "string", "enum": ["first_that_answers", "two_that_agree"], "default": "first_that_answers"},
    "sources": {
      "type": "array", "minItems": 1, "maxItems": 8,
      "default": [{"kind": "loteriadebogota", "url": "https://loteriadebogota.com/resultados/"}],
      "description": "Asked in order; each is a page in the official results layout (the official site or a mirror such as https://institucional.loteriadebogota.com/resultados/). It shows the latest draw only",
      "items": {
        "type": "object", "additionalProperties": false, "required": ["kind", "url"],
        "properties": {
          "kind": {"type": "string", "enum": ["loteriadebogota"]},
          "url": {"type": "string", "pattern": "^https?://[^ ]+$"}
        }
      }
    }
  }
})json")
