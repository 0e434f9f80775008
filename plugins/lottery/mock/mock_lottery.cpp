// lottery_mock: deterministic draws per (date, seed), with publication rules judged by the host
// clock and scripted answers so that the host's retry and validation paths can be tested.
#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "civil_date.hpp"
#include "mock_draw.hpp"
#include "rifa/sdk/plugin.hpp"
#include "rifa/sdk/time.hpp"

namespace rifa::plugins::mock {
namespace {

using nlohmann::json;
using sdk::DrawAnswer;
using sdk::Error;
using sdk::NotPublished;

constexpr int64_t kBogotaUtcOffsetMinutes = sdk::kBogotaUtcOffsetSeconds / 60;  // America/Bogota has no DST
constexpr const char* kDefaultPublishTime = "22:30";
constexpr int64_t kMaxDrawDatesRangeDays = 400;  // sdk/ABI.md: the host asks for at most 400 days

enum class Step { kOk, kNotPublished, kGarbage, kWrongDate };

Step parse_step(const std::string& text) {
  if (text == "ok") return Step::kOk;
  if (text == "not_published") return Step::kNotPublished;
  if (text == "garbage") return Step::kGarbage;
  return Step::kWrongDate;  // the schema's enum admits nothing else
}

CivilDate require_date(const std::string& text, const std::string& what, rifa_status status) {
  auto date = parse_iso_date(text);
  if (!date) throw Error(status, what + " must be a real date as YYYY-MM-DD, got '" + text + "'");
  return *date;
}

class MockLottery final : public sdk::LotteryPlugin {
 public:
  // Calls only touch state under mutex_, so the host may call concurrently.
  static constexpr uint32_t kPluginFlags = 0;

  MockLottery(sdk::Host host, std::string instance_id, std::string config_json)
      : LotteryPlugin(host, std::move(instance_id), std::move(config_json)) {
    try {
      load_config(json::parse(this->config_json()));
    } catch (const json::exception& e) {
      // The host validated the config against the schema; this only catches a host that did not.
      throw Error(RIFA_ERR_CONFIG, std::string("invalid config: ") + e.what());
    }
    host.debug("mock lottery ready: seed '" + settings_.seed + "', " + std::to_string(settings_.number_digits) +
               " digits, published after " + publish_time_text_ + " America/Bogota");
  }

  DrawAnswer fetch_draw(const std::string& date_iso) override {
    const CivilDate date = require_date(date_iso, "date", RIFA_ERR_INVALID_ARGUMENT);
    const std::string source_url = "mock://draw/" + date_iso;
    switch (next_step(date_iso)) {
      case Step::kNotPublished: return NotPublished{"scripted: the draw of " + date_iso + " is not published"};
      case Step::kGarbage: return garbage(date_iso, source_url);
      case Step::kWrongDate: {
        const MockDraw other = make_draw(settings_, CivilDate{date.days_since_epoch - 1});
        return result_json(other, "mock://draw/" + other.date, canonical_page(other));
      }
      case Step::kOk:
        if (!scripted(date_iso)) {
          if (not_published_.count(date_iso))
            return NotPublished{"the draw of " + date_iso + " is configured as not published"};
          if (host().now_unix_ms() < publish_instant_ms(date)) {
            return NotPublished{"the draw of " + date_iso + " is published after " + publish_time_text_ +
                                " America/Bogota"};
          }
        }
        break;
    }
    if (date.days_since_epoch < settings_.epoch.days_since_epoch) {
      throw Error(RIFA_ERR_NOT_FOUND, "no mock draw before draw_epoch " + to_iso(settings_.epoch));
    }
    const MockDraw draw = make_draw(settings_, date);
    return result_json(draw, source_url, canonical_page(draw));
  }

  DrawAnswer parse_page(const std::string& date_iso, const std::string& url, const std::string& body) override {
    require_date(date_iso, "date", RIFA_ERR_INVALID_ARGUMENT);
    const ParsedPage page = parse_canonical_page(body);
    if (!page.published) return NotPublished{"the page says the draw of " + date_iso + " is not published"};
    if (page.draw.date != date_iso) {
      throw Error(RIFA_ERR_VALIDATION, "mock page: the page is for " + page.draw.date + ", not " + date_iso);
    }
    if (static_cast<int>(page.draw.number.size()) != settings_.number_digits) {
      throw Error(RIFA_ERR_VALIDATION, "mock page: number '" + page.draw.number + "' should have " +
                                           std::to_string(settings_.number_digits) + " digits");
    }
    if (static_cast<int>(page.draw.series.size()) != settings_.series_digits) {
      throw Error(RIFA_ERR_VALIDATION, "mock page: series '" + page.draw.series + "' should have " +
                                           std::to_string(settings_.series_digits) + " digits");
    }
    return result_json(page.draw, url.empty() ? "mock://draw/" + date_iso : url, body);
  }

  std::string schedule() override {
    const json schedule = {{"timezone", "America/Bogota"},
                           {"days", {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}},
                           {"time", publish_time_text_},
                           {"publish_delay_minutes", 0},
                           // Draws are generated, not read from a source (sdk/docs/CONFORMANCE.md, check 9).
                           {"source", "synthetic"}};
    return schedule.dump();
  }

  // Daily from draw_epoch on, at publish_after_local_time (the mock draws and publishes at once).
  std::string draw_dates(const std::string& from_text, const std::string& to_text) override {
    const CivilDate from = require_date(from_text, "from", RIFA_ERR_INVALID_ARGUMENT);
    const CivilDate to = require_date(to_text, "to", RIFA_ERR_INVALID_ARGUMENT);
    if (to.days_since_epoch < from.days_since_epoch) {
      throw Error(RIFA_ERR_INVALID_ARGUMENT, "to (" + to_text + ") is before from (" + from_text + ")");
    }
    if (to.days_since_epoch - from.days_since_epoch >= kMaxDrawDatesRangeDays) {
      throw Error(RIFA_ERR_INVALID_ARGUMENT, "the range " + from_text + ".." + to_text + " is longer than " +
                                                 std::to_string(kMaxDrawDatesRangeDays) + " days");
    }
    json draws = json::array();
    for (int64_t day = std::max(from.days_since_epoch, settings_.epoch.days_since_epoch); day <= to.days_since_epoch;
         ++day) {
      draws.push_back({{"date", to_iso(CivilDate{day})}, {"time", publish_time_text_}, {"timezone", "America/Bogota"}});
    }
    return draws.dump();
  }

 private:
  void load_config(const json& config) {
    settings_.seed = config.value("seed", settings_.seed);
    settings_.number_digits = config.value("number_digits", 4);
    settings_.series_digits = config.value("series_digits", 3);
    settings_.epoch = require_date(config.value("draw_epoch", "2020-01-01"), "draw_epoch", RIFA_ERR_CONFIG);
    settings_.first_draw_number = config.value("first_draw_number", int64_t{1});
    publish_time_text_ = config.value("publish_after_local_time", kDefaultPublishTime);
    auto minutes = parse_hh_mm(publish_time_text_);
    if (!minutes)
      throw Error(RIFA_ERR_CONFIG, "publish_after_local_time must be HH:MM, got '" + publish_time_text_ + "'");
    publish_minutes_ = *minutes;
    for (const auto& date : config.value("not_published_dates", json::array())) {
      not_published_.insert(to_iso(require_date(date.get<std::string>(), "not_published_dates[]", RIFA_ERR_CONFIG)));
    }
    const json scripted = config.value("scripted", json::object());
    for (const auto& [date, steps] : scripted.items()) {
      require_date(date, "every key of scripted", RIFA_ERR_CONFIG);
      std::vector<Step>& script = scripts_[date];
      for (const auto& step : steps) script.push_back(parse_step(step.get<std::string>()));
      if (script.empty()) throw Error(RIFA_ERR_CONFIG, "scripted['" + date + "'] must list at least one step");
    }
  }

  bool scripted(const std::string& date_iso) const { return scripts_.count(date_iso) != 0; }

  // Walks the script of that date; the last step repeats.
  Step next_step(const std::string& date_iso) {
    auto it = scripts_.find(date_iso);
    if (it == scripts_.end()) return Step::kOk;
    std::lock_guard<std::mutex> lock(mutex_);
    size_t& position = positions_[date_iso];
    const Step step = it->second[std::min(position, it->second.size() - 1)];
    ++position;
    return step;
  }

  int64_t publish_instant_ms(CivilDate date) const {
    const int64_t local_minutes = date.days_since_epoch * 24 * 60 + publish_minutes_;
    return (local_minutes - kBogotaUtcOffsetMinutes) * 60 * 1000;
  }

  // Out-of-range and malformed on purpose: the host's validation must refuse it.
  static std::string garbage(const std::string& date_iso, const std::string& source_url) {
    const json result = {{"date", date_iso}, {"draw_number", "-7"},      {"numbers", {"12a45"}},
                         {"series", "7x"},   {"source_url", source_url}, {"raw_sha256", "not-a-sha256"}};
    return result.dump();
  }

  DrawSettings settings_;
  std::string publish_time_text_;
  int publish_minutes_ = 0;
  std::set<std::string> not_published_;
  std::map<std::string, std::vector<Step>> scripts_;
  std::mutex mutex_;
  std::map<std::string, size_t> positions_;
};

}  // namespace
}  // namespace rifa::plugins::mock

RIFA_PLUGIN(rifa::plugins::mock::MockLottery, RIFA_KIND_LOTTERY, "mock", "1.0.0",
            "Deterministic mock lottery: draws derived from (date, seed), scriptable answers",
            R"json({
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "seed": {"type": "string", "default": "rifa1122", "description": "Same seed and date, same draw"},
    "number_digits": {"type": "integer", "minimum": 1, "maximum": 9, "default": 4},
    "series_digits": {"type": "integer", "minimum": 0, "maximum": 6, "default": 3,
                      "description": "0: the draw has no series"},
    "draw_epoch": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "default": "2020-01-01",
                   "description": "Date of draw number first_draw_number; no draws before it"},
    "first_draw_number": {"type": "integer", "minimum": 1, "default": 1},
    "publish_after_local_time": {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "default": "22:30",
                                 "description": "The draw of date D is published at D HH:MM America/Bogota (host clock)"},
    "not_published_dates": {"type": "array", "default": [],
                            "items": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}},
    "scripted": {"type": "object", "default": {},
                 "description": "Per date, the answers of successive fetches; the last one repeats",
                 "additionalProperties": {"type": "array", "minItems": 1,
                                          "items": {"type": "string", "enum": ["ok", "not_published", "garbage", "wrong_date"]}}}
  }
})json")
