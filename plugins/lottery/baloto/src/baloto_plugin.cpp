// lottery_baloto: Baloto or Revancha (config `juego`) from baloto.com's listing and per-draw
// pages, or the resultadobaloto.com year page, through the host's transport.
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "rifa/lottery/baloto/baloto_rules.hpp"
#include "rifa/lottery/baloto/draw_page_parser.hpp"
#include "rifa/lottery/baloto/listing_parser.hpp"
#include "rifa/lottery/baloto/resultadobaloto_parser.hpp"
#include "rifa/lottery/plugin_support.hpp"
#include "rifa/lottery/weekly_validation.hpp"
#include "rifa/sdk/plugin.hpp"

namespace rifa::plugins::baloto {
namespace {

namespace lt = rifa::lottery;
namespace lp = rifa::lottery::plugin;
using lt::baloto::Juego;
using nlohmann::json;

constexpr const char* kListing = "baloto_listing";
constexpr const char* kDrawPage = "baloto_draw_page";
constexpr const char* kYearPage = "resultadobaloto";

// The listing says "is older than this page" when the date lies on a later page (older draws).
constexpr const char* kOlderThanPage = " is older than this page (";

bool has_id_attribute(const std::string& body, const std::string& id) {
  return body.find("id=\"" + id + "\"") != std::string::npos || body.find("id='" + id + "'") != std::string::npos ||
         body.find("id=" + id + ">") != std::string::npos || body.find("id=" + id + " ") != std::string::npos;
}

class BalotoLottery final : public sdk::LotteryPlugin {
 public:
  BalotoLottery(sdk::Host host, std::string instance_id, std::string config_json)
      : LotteryPlugin(host, std::move(instance_id), std::move(config_json)),
        config_(lt::baloto::default_baloto_config()) {
    const json config = lp::parse_config(this->config_json());
    juego_ = config.value("juego", std::string("baloto")) == "revancha" ? Juego::kRevancha : Juego::kBaloto;
    timeout_ms_ = config.value("timeout_ms", 15000u);
    listing_max_pages_ = config.value("listing_max_pages", 3);
    publish_delay_minutes_ = config.value("publish_delay_minutes", 60);
    sources_ =
        lp::read_sources(config, {{kListing, "https://baloto.com/resultados"}, {kDrawPage, "https://www.baloto.com"}});
    policy_ = lp::read_policy(config);
  }

  sdk::DrawAnswer fetch_draw(const std::string& date_iso) override {
    const lt::Date date = lp::require_date(date_iso);
    const std::string lottery = name();
    if (auto reason = lp::not_drawn_yet(host(), lottery, date, config_.schedule, publish_delay_minutes_);
        !reason.empty()) {
      return sdk::NotPublished{reason};
    }
    return lp::answer(lt::run_sources(lottery, lp::source_names(sources_), policy_,
                                      [&](std::size_t i) { return ask(sources_[i], date); }));
  }

  sdk::DrawAnswer parse_page(const std::string& date_iso, const std::string& url, const std::string& body) override {
    const lt::Date date = lp::require_date(date_iso);
    const lt::PageRequest request{date, url};
    if (url.find("resultadobaloto") != std::string::npos) {
      return lp::answer(lt::baloto::parse_resultadobaloto_year(body, request, juego_, config_));
    }
    if (url.find("/resultados-baloto/") != std::string::npos ||
        url.find("/resultados-revancha/") != std::string::npos) {
      return lp::answer(lt::baloto::parse_baloto_draw_page(body, request, juego_, config_));
    }
    // Any other URL: by the page's own markup. Both ids also appear in the site's inline CSS
    // ("#balotoBgNew{…}"), so only an id attribute counts.
    if (!has_id_attribute(body, "results-table") && has_id_attribute(body, "balotoBgNew")) {
      return lp::answer(lt::baloto::parse_baloto_draw_page(body, request, juego_, config_));
    }
    return lp::answer(lt::baloto::parse_baloto_listing(body, request, juego_, config_));
  }

  std::string draw_dates(const std::string& from_iso, const std::string& to_iso) override {
    return lp::draw_dates_json(config_.schedule, from_iso, to_iso);
  }

  std::string schedule() override {
    json schedule = lp::schedule_json(config_.schedule, lp::today_in_bogota(host()), publish_delay_minutes_);
    schedule["juego"] = juego_ == Juego::kRevancha ? "revancha" : "baloto";
    schedule["current_game_since"] = lt::format_iso(config_.current_game_since);
    return schedule.dump();
  }

 private:
  std::string name() const { return juego_ == Juego::kRevancha ? "revancha" : "baloto"; }

  sdk::HttpRequest get(std::string url) const {
    sdk::HttpRequest request;
    request.url = std::move(url);
    request.headers = {{"Accept", "text/html"}};
    request.timeout_ms = timeout_ms_;
    return request;
  }

  lt::SourceAttempt ask(const lp::SourceConfig& source, const lt::Date& date) const {
    if (source.kind == kListing) return ask_listing(source.url, date);
    if (source.kind == kDrawPage) return ask_draw_page(source.url, date);
    return ask_year_page(source.url, date);
  }

  // Page 1 holds the newest draws; an older date is further down the pagination.
  lt::SourceAttempt ask_listing(const std::string& base_url, const lt::Date& date) const {
    for (int page = 1;; ++page) {
      const sdk::HttpRequest request = get(base_url + "?page=" + std::to_string(page));
      auto fetched = lp::perform(host(), request, name());
      if (auto* failed = std::get_if<lt::SourceAttempt>(&fetched)) return std::move(*failed);
      const auto& response = std::get<sdk::HttpResponse>(fetched);
      lt::Outcome outcome = lt::baloto::parse_baloto_listing(response.body, {date, request.url}, juego_, config_);
      const bool older =
          outcome.kind() == lt::OutcomeKind::kParseError && outcome.message().find(kOlderThanPage) != std::string::npos;
      if (!older) return lp::outcome_attempt(std::move(outcome));
      if (page >= listing_max_pages_) {
        return lp::outcome_attempt(lt::Outcome::parse_error(outcome.message() + "; listing_max_pages (" +
                                                            std::to_string(listing_max_pages_) + ") reached"));
      }
    }
  }

  // The per-draw page is addressed by sorteo, which the calendar gives (Baloto draws on holidays,
  // so its anchors pin every sorteo).
  lt::SourceAttempt ask_draw_page(const std::string& base_url, const lt::Date& date) const {
    const auto range = config_.schedule.expected_sorteo(date);
    if (!range) {
      return lp::skipped_attempt(lt::Outcome::validation_error(name() + ": " + lt::format_iso(date) + " (" +
                                                               std::string(lt::spanish_weekday(lt::weekday_of(date))) +
                                                               ") is not a draw day"));
    }
    if (range->min != range->max) {
      return lp::skipped_attempt(
          lt::Outcome::parse_error(name() + " draw page: the calendar does not pin the sorteo of " +
                                   lt::format_iso(date) + " (" + lt::describe(*range) + "); use the listing"));
    }
    const std::string sorteo = std::to_string(range->min);
    const sdk::HttpRequest request = get(base_url + "/resultados-" + name() + "/" + sorteo + "/");
    auto fetched =
        lp::perform(host(), request, name(), name() + " draw page: no page for sorteo " + sorteo + " yet (HTTP 404)");
    if (auto* failed = std::get_if<lt::SourceAttempt>(&fetched)) return std::move(*failed);
    return lp::outcome_attempt(lt::baloto::parse_baloto_draw_page(std::get<sdk::HttpResponse>(fetched).body,
                                                                  {date, request.url}, juego_, config_));
  }

  lt::SourceAttempt ask_year_page(const std::string& base_url, const lt::Date& date) const {
    if (juego_ == Juego::kRevancha) {
      return lp::outcome_attempt(
          lt::Outcome::parse_error("revancha: resultadobaloto.com's year page lists Baloto only, not Revancha"));
    }
    const sdk::HttpRequest request = get(base_url + "?anno=" + std::to_string(static_cast<int>(date.year())));
    auto fetched = lp::perform(host(), request, name());
    if (auto* failed = std::get_if<lt::SourceAttempt>(&fetched)) return std::move(*failed);
    return lp::outcome_attempt(lt::baloto::parse_resultadobaloto_year(std::get<sdk::HttpResponse>(fetched).body,
                                                                      {date, request.url}, juego_, config_));
  }

  lt::baloto::BalotoConfig config_;
  Juego juego_ = Juego::kBaloto;
  uint32_t timeout_ms_ = 15000;
  int listing_max_pages_ = 3;
  int publish_delay_minutes_ = 60;
  std::vector<lp::SourceConfig> sources_;
  lt::SourcePolicy policy_ = lt::SourcePolicy::kFirstThatAnswers;
};

}  // namespace
}  // namespace rifa::plugins::baloto

RIFA_PLUGIN(rifa::plugins::baloto::BalotoLottery, RIFA_KIND_LOTTERY, "baloto", "1.0.0",
            "Baloto and Revancha (5 of 1-43 + superbalota 1-16) from baloto.com",
            R"json({
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "juego": {"type": "string", "enum": ["baloto", "revancha"], "default": "baloto",
              "description": "Which draw of the night this instance reads (same sorteo number for both)"},
    "timeout_ms": {"type": "integer", "minimum": 1000, "maximum": 120000, "default": 15000},
    "listing_max_pages": {"type": "integer", "minimum": 1, "maximum": 120, "default": 3,
                          "description": "How many pages of baloto.com/resultados?page=N to walk back for older dates"},
    "publish_delay_minutes": {"type": "integer", "minimum": 0, "maximum": 1440, "default": 60,
                              "description": "No request before the draw time (23:00 America/Bogota) plus this"},
    "policy": {"type": "string", "enum": ["first_that_answers", "two_that_agree"], "default": "first_that_answers"},
    "sources": {
      "type": "array", "minItems": 1, "maxItems": 8,
      "default": [{"kind": "baloto_listing", "url": "https://baloto.com/resultados"},
                  {"kind": "baloto_draw_page", "url": "https://www.baloto.com"}],
      "description": "Asked in order. baloto_listing: URL of the listing (?page=N is added); baloto_draw_page: site root (/resultados-<juego>/<sorteo>/ is added); resultadobaloto: URL of resultados.php (?anno=YYYY is added; Baloto only)",
      "items": {
        "type": "object", "additionalProperties": false, "required": ["kind", "url"],
        "properties": {
          "kind": {"type": "string", "enum": ["baloto_listing", "baloto_draw_page", "resultadobaloto"]},
          "url": {"type": "string", "pattern": "^https?://[^ ]+$"}
        }
      }
    }
  }
})json")
