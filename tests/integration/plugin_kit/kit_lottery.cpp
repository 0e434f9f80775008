// Two lotteries for the conformance kit's own tests (plugin_kit_test.cpp), one source:
//  - KIT_WELL_BEHAVED (lottery_kit_ok): draws on the weekdays of its config ("days", default Monday
//    and Wednesday), refuses other days with not_found without a request, answers not_published
//    before the draw time plus the publication delay by the host's clock, and otherwise reads
//    <base_url>/<date>.txt through the host.
//  - KIT_FETCHES_NOTHING (lottery_kit_lazy): answers the same draw for any date and never fetches.
#include <set>
#include <string>

#include "rifa/sdk/plugin.hpp"
#include "rifa/sdk/time.hpp"

namespace {

using rifa::sdk::DrawAnswer;
using rifa::sdk::Error;
using rifa::sdk::json_quote;

constexpr int kDrawMinute = 22 * 60 + 30;
constexpr int kPublishDelayMinutes = 60;

std::string draw_json(const std::string& date, const std::string& number, const std::string& url,
                      const std::string& body) {
  return "{\"date\": " + json_quote(date) + ", \"draw_number\": \"1\", \"numbers\": [" + json_quote(number) +
         "], \"source_url\": " + json_quote(url) + ", \"raw_sha256\": " + json_quote(rifa::sdk::sha256_hex(body)) + "}";
}

class KitLottery final : public rifa::sdk::LotteryPlugin {
 public:
  KitLottery(rifa::sdk::Host host, std::string instance_id, std::string config_json)
      : LotteryPlugin(host, std::move(instance_id), std::move(config_json)) {
    // A tiny reader for {"days": ["monday", ...]}: the test configs are written by the test.
    const std::string& config = this->config_json();
    for (int d = 0; d < 7; ++d) {
      const auto day = static_cast<rifa::sdk::Weekday>(d);
      if (config.find(std::string("\"") + rifa::sdk::english_name(day) + "\"") != std::string::npos) days_.insert(d);
    }
    if (days_.empty())
      days_ = {static_cast<int>(rifa::sdk::Weekday::kMonday), static_cast<int>(rifa::sdk::Weekday::kWednesday)};
  }

  DrawAnswer fetch_draw(const std::string& date_iso) override {
#if defined(KIT_FETCHES_NOTHING)
    return draw_json(date_iso, "0042", "https://kit.test/" + date_iso + ".txt", "");
#else
    const auto date = rifa::sdk::parse_iso_date(date_iso);
    if (!date) throw Error(RIFA_ERR_INVALID_ARGUMENT, "date must be YYYY-MM-DD, got '" + date_iso + "'");
    const auto weekday = rifa::sdk::weekday_of(*date);
    if (!days_.count(static_cast<int>(weekday))) {
      throw Error(RIFA_ERR_NOT_FOUND, std::string("no draw on ") + rifa::sdk::english_name(weekday) + "s");
    }
    if (host().now_unix_ms() < rifa::sdk::bogota_instant_ms(*date, kDrawMinute) + kPublishDelayMinutes * 60000LL) {
      return rifa::sdk::NotPublished{"the draw of " + date_iso + " is published after 23:30 America/Bogota"};
    }
    rifa::sdk::HttpRequest request;
    request.url = "https://kit.test/" + date_iso + ".txt";
    const rifa::sdk::HttpResponse response = host().http(request);
    if (response.status == 404) return rifa::sdk::NotPublished{"no page yet"};
    return parse_page(date_iso, response.effective_url, response.body);
#endif
  }

  DrawAnswer parse_page(const std::string& date_iso, const std::string& url, const std::string& body) override {
    const std::string key = "numero: ";
    const auto at = body.find(key);
    if (at == std::string::npos || body.size() < at + key.size() + 4) throw Error(RIFA_ERR_PARSE, "no 'numero:' line");
    return draw_json(date_iso, body.substr(at + key.size(), 4), url, body);
  }

  std::string schedule() override {
    std::string days;
    for (int d : days_)
      days += (days.empty() ? "\"" : ", \"") +
              std::string(rifa::sdk::english_name(static_cast<rifa::sdk::Weekday>(d))) + "\"";
    return "{\"timezone\": \"America/Bogota\", \"days\": [" + days +
           "], \"time\": \"22:30\", \"publish_delay_minutes\": " + std::to_string(kPublishDelayMinutes) + "}";
  }

 private:
  std::set<int> days_;
};

}  // namespace

RIFA_PLUGIN(KitLottery, RIFA_KIND_LOTTERY, "kit", "1.0.0", "Conformance kit test lottery",
            R"({"type": "object", "additionalProperties": false,
                "properties": {"days": {"type": "array", "items": {"type": "string"}}}})")
