// The example lottery: fetches <base_url>/<date>.txt through the host and reads the draw from it.
#include <string>

#include "config_reader.hpp"
#include "results_page.hpp"
#include "rifa/sdk/plugin.hpp"
#include "rifa/sdk/time.hpp"

namespace example {
namespace {

using rifa::sdk::DrawAnswer;
using rifa::sdk::Error;
using rifa::sdk::json_quote;
using rifa::sdk::NotPublished;

// The lottery draws on Thursdays (schedule() below says so too).
constexpr rifa::sdk::Weekday kDrawDay = rifa::sdk::Weekday::kThursday;

class ExampleLottery final : public rifa::sdk::LotteryPlugin {
 public:
  ExampleLottery(rifa::sdk::Host host, std::string instance_id, std::string config_json)
      : LotteryPlugin(host, std::move(instance_id), std::move(config_json)),
        base_url_(config_string(this->config_json(), "base_url").value_or("https://resultados.example.com/sorteos")),
        number_digits_(config_integer(this->config_json(), "number_digits").value_or(4)) {
    // The schema already says this; checks the schema cannot express belong here, as RIFA_ERR_CONFIG.
    if (!base_url_.empty() && base_url_.back() == '/') throw Error(RIFA_ERR_CONFIG, "base_url must not end with '/'");
  }

  DrawAnswer fetch_draw(const std::string& date) override {
    const auto day = rifa::sdk::parse_iso_date(date);
    if (!day) throw Error(RIFA_ERR_INVALID_ARGUMENT, "date must be a real date as YYYY-MM-DD, got '" + date + "'");
    // A day without a draw is not_found at once: no request, and the host does not wait for it.
    if (rifa::sdk::weekday_of(*day) != kDrawDay) {
      throw Error(RIFA_ERR_NOT_FOUND,
                  std::string("no draw on ") + rifa::sdk::english_name(rifa::sdk::weekday_of(*day)) + "s");
    }
    rifa::sdk::HttpRequest request;
    request.url = base_url_ + "/" + date + ".txt";
    request.headers = {{"Accept", "text/plain"}};
    // Transport failures (timeout, DNS...) throw rifa::sdk::Error with the host's reason: let them go.
    const rifa::sdk::HttpResponse response = host().http(request);
    if (response.status == 404) return NotPublished{"no results page for " + date + " yet (HTTP 404)"};
    if (response.status != 200) {
      throw Error(RIFA_ERR_TRANSPORT, "GET " + request.url + ": HTTP " + std::to_string(response.status));
    }
    return parse_page(date, response.effective_url, response.body);
  }

  DrawAnswer parse_page(const std::string& date, const std::string& url, const std::string& body) override {
    const ResultsPage page = parse_results_page(body);
    if (!page.published) return NotPublished{"the results page says the draw of " + date + " is pending"};
    if (page.date != date) throw Error(RIFA_ERR_VALIDATION, "results page is for " + page.date + ", not " + date);
    if (static_cast<long long>(page.number.size()) != number_digits_) {
      throw Error(RIFA_ERR_VALIDATION,
                  "numero '" + page.number + "' should have " + std::to_string(number_digits_) + " digits");
    }
    std::string result = "{\"date\": " + json_quote(date) + ", \"draw_number\": " + json_quote(page.draw_number) +
                         ", \"numbers\": [" + json_quote(page.number) + "]";
    if (!page.series.empty()) result += ", \"series\": " + json_quote(page.series);
    result +=
        ", \"source_url\": " + json_quote(url) + ", \"raw_sha256\": " + json_quote(rifa::sdk::sha256_hex(body)) + "}";
    return result;
  }

  std::string schedule() override {
    return R"({"timezone": "America/Bogota", "days": ["thursday"], "time": "22:30", "publish_delay_minutes": 60})";
  }

 private:
  std::string base_url_;
  long long number_digits_;
};

}  // namespace
}  // namespace example

RIFA_PLUGIN(example::ExampleLottery, RIFA_KIND_LOTTERY, "example", "1.0.0",
            "Example lottery: reads <base_url>/<date>.txt",
            R"json({
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "base_url": {"type": "string", "pattern": "^https?://", "default": "https://resultados.example.com/sorteos",
                 "description": "Results pages live at <base_url>/<YYYY-MM-DD>.txt"},
    "number_digits": {"type": "integer", "minimum": 1, "maximum": 9, "default": 4}
  }
})json")
