// lottery_valle: Lotería del Valle from the site's JSON endpoint (the one its own results page
// calls), with the static home page as fallback, through the host's transport.
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "rifa/lottery/digits.hpp"
#include "rifa/lottery/plugin_support.hpp"
#include "rifa/lottery/valle/home_page_parser.hpp"
#include "rifa/lottery/valle/json_parser.hpp"
#include "rifa/lottery/valle/valle_rules.hpp"
#include "rifa/sdk/plugin.hpp"

namespace rifa::plugins::valle {
namespace {

namespace lt = rifa::lottery;
namespace lp = rifa::lottery::plugin;
using nlohmann::json;

constexpr const char* kJson = "valle_json";
constexpr const char* kHome = "valle_home";

bool looks_like_json(const std::string& url, const std::string& body) {
  if (url.find("revisar_controlador") != std::string::npos) return true;
  const auto first = body.find_first_not_of(" \t\r\n");
  return first != std::string::npos && (body[first] == '[' || body[first] == '{');
}

class ValleLottery final : public sdk::LotteryPlugin {
 public:
  ValleLottery(sdk::Host host, std::string instance_id, std::string config_json)
      : LotteryPlugin(host, std::move(instance_id), std::move(config_json)), rules_(lt::valle::default_valle_rules()) {
    const json config = lp::parse_config(this->config_json());
    rules_.serie_min = config.value("serie_min", rules_.serie_min);
    rules_.serie_max = config.value("serie_max", rules_.serie_max);
    if (rules_.serie_min > rules_.serie_max) {
      throw sdk::Error(RIFA_ERR_CONFIG, "serie_min (" + std::to_string(rules_.serie_min) + ") is above serie_max (" +
                                            std::to_string(rules_.serie_max) + ")");
    }
    timeout_ms_ = config.value("timeout_ms", 15000u);
    publish_delay_minutes_ = config.value("publish_delay_minutes", 60);
    fetch_secos_ = config.value("fetch_secos", true);
    sources_ = lp::read_sources(
        config, {{kJson, "https://loteriadelvalle.com/resultado_v2/controladores/revisar_controlador.php"},
                 {kHome, "https://loteriadelvalle.com"}});
    policy_ = lp::read_policy(config);
  }

  sdk::DrawAnswer fetch_draw(const std::string& date_iso) override {
    const lt::Date date = lp::require_date(date_iso);
    if (auto reason = lp::not_drawn_yet(host(), "valle", date, rules_.schedule, publish_delay_minutes_);
        !reason.empty()) {
      return sdk::NotPublished{reason};
    }
    return lp::answer(lt::run_sources("valle", lp::source_names(sources_), policy_, [&](std::size_t i) {
      return sources_[i].kind == kJson ? ask_json(sources_[i].url, date) : ask_home(sources_[i].url, date);
    }));
  }

  sdk::DrawAnswer parse_page(const std::string& date_iso, const std::string& url, const std::string& body) override {
    const lt::PageRequest request{lp::require_date(date_iso), url};
    if (looks_like_json(url, body)) return lp::answer(lt::valle::parse_valle_tabla_normal(body, request, rules_));
    return lp::answer(lt::valle::parse_valle_home(body, request, rules_));
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
  sdk::HttpRequest post_form(const std::string& url, std::string form) const {
    sdk::HttpRequest request;
    request.method = "POST";
    request.url = url;
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}};
    request.body = std::move(form);
    request.timeout_ms = timeout_ms_;
    return request;
  }

  lt::SourceAttempt ask_json(const std::string& url, const lt::Date& date) const {
    const sdk::HttpRequest request = post_form(url, "datos=tabla_normal");
    auto fetched = lp::perform(host(), request, "valle");
    if (auto* failed = std::get_if<lt::SourceAttempt>(&fetched)) return std::move(*failed);
    const std::string& body = std::get<sdk::HttpResponse>(fetched).body;
    const lt::PageRequest page{date, url};
    lt::Outcome outcome = lt::valle::parse_valle_tabla_normal(body, page, rules_);
    if (!outcome.is_ok() || !fetch_secos_) return lp::outcome_attempt(std::move(outcome));
    const std::string sorteo = outcome.draw().draw_number;
    if (auto secos = this->secos(url, sorteo); !secos.empty()) {
      // Read again with the secos so that the validator checks them too.
      return lp::outcome_attempt(lt::valle::parse_valle_tabla_normal(body, page, rules_, secos));
    }
    return lp::outcome_attempt(std::move(outcome));
  }

  // The secos are published later than the premio mayor and the endpoint answers them apart; a
  // draw without them is still the right draw, so their absence or a failure to read them only
  // leaves "secondary" out. A request the host refuses or has not recorded is a configuration
  // problem and is not hidden.
  std::vector<lt::SecondaryPrize> secos(const std::string& url, const std::string& sorteo) const {
    const sdk::HttpRequest request = post_form(url, "datos=complemento_secos&sorteo=" + sorteo);
    try {
      const sdk::HttpResponse response = host().http(request);
      if (response.status < 200 || response.status > 299) {
        host().warn("valle: secos of sorteo " + sorteo + ": HTTP " + std::to_string(response.status));
        return {};
      }
      lt::valle::SecosRead read = lt::valle::parse_valle_secos(response.body);
      if (read.kind != lt::OutcomeKind::kOk) {
        host().info("valle: secos of sorteo " + sorteo + " left out: " + read.message);
        return {};
      }
      return read.secos;
    } catch (const sdk::Error& e) {
      if (e.status() != RIFA_ERR_TIMEOUT && e.status() != RIFA_ERR_TRANSPORT) throw;
      host().warn("valle: secos of sorteo " + sorteo + " left out: " + e.what());
      return {};
    }
  }

  lt::SourceAttempt ask_home(const std::string& url, const lt::Date& date) const {
    sdk::HttpRequest request;
    request.url = url;
    request.headers = {{"Accept", "text/html"}};
    request.timeout_ms = timeout_ms_;
    auto fetched = lp::perform(host(), request, "valle");
    if (auto* failed = std::get_if<lt::SourceAttempt>(&fetched)) return std::move(*failed);
    return lp::outcome_attempt(
        lt::valle::parse_valle_home(std::get<sdk::HttpResponse>(fetched).body, {date, url}, rules_));
  }

  lt::BilleteRules rules_;
  uint32_t timeout_ms_ = 15000;
  int publish_delay_minutes_ = 60;
  bool fetch_secos_ = true;
  std::vector<lp::SourceConfig> sources_;
  lt::SourcePolicy policy_ = lt::SourcePolicy::kFirstThatAnswers;
};

}  // namespace
}  // namespace rifa::plugins::valle

RIFA_PLUGIN(rifa::plugins::valle::ValleLottery, RIFA_KIND_LOTTERY, "valle", "1.0.0",
            "Loteria del Valle (4-digit numero, 3-digit serie, secos) from loteriadelvalle.com",
            R"json({
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "timeout_ms": {"type": "integer", "minimum": 1000, "maximum": 120000, "default": 15000},
    "serie_min": {"type": "integer", "minimum": 0, "maximum": 999, "default": 0},
    "serie_max": {"type": "integer", "minimum": 0, "maximum": 999, "default": 999},
    "publish_delay_minutes": {"type": "integer", "minimum": 0, "maximum": 1440, "default": 60,
                              "description": "No request before the draw time (22:30 America/Bogota) plus this"},
    "fetch_secos": {"type": "boolean", "default": true,
                    "description": "Also ask the JSON endpoint for the secos (datos=complemento_secos)"},
    "policy": {"type": "string", "enum": ["first_that_answers", "two_that_agree"], "default": "first_that_answers"},
    "sources": {
      "type": "array", "minItems": 1, "maxItems": 8,
      "default": [{"kind": "valle_json", "url": "https://loteriadelvalle.com/resultado_v2/controladores/revisar_controlador.php"},
                  {"kind": "valle_home", "url": "https://loteriadelvalle.com"}],
      "description": "Asked in order. valle_json: the endpoint answering POST datos=tabla_normal; valle_home: the static home page (latest draw only)",
      "items": {
        "type": "object", "additionalProperties": false, "required": ["kind", "url"],
        "properties": {
          "kind": {"type": "string", "enum": ["valle_json", "valle_home"]},
          "url": {"type": "string", "pattern": "^https?://[^ ]+$"}
        }
      }
    }
  }
})json")
