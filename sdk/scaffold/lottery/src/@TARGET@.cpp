// @TARGET@: reads the draw of a date from <base_url>/<YYYY-MM-DD>.txt, a page like
//
//   fecha: 2026-01-22
//   sorteo: 4521
//   numero: 0042
//   serie: 007
//
// Replace the page format with your source's. Every answer is documented in the SDK's ABI.md.
#include <string>

#include "rifa/sdk/plugin.hpp"
#include "rifa/sdk/time.hpp"

namespace @NAME@ {
namespace {

using rifa::sdk::DrawAnswer;
using rifa::sdk::Error;
using rifa::sdk::json_quote;
using rifa::sdk::NotPublished;

constexpr rifa::sdk::Weekday kDrawDay = rifa::sdk::Weekday::kThursday;
constexpr int kDrawMinute = 22 * 60 + 30;     // 22:30 America/Bogota
constexpr int kPublishDelayMinutes = 60;

// The value after "<key>: " at the start of a line, or "".
std::string field(const std::string& body, const std::string& key) {
  const std::string marker = key + ": ";
  for (size_t line = 0; line < body.size();) {
    size_t end = body.find('\n', line);
    if (end == std::string::npos) end = body.size();
    if (body.compare(line, marker.size(), marker) == 0) {
      std::string value = body.substr(line + marker.size(), end - line - marker.size());
      while (!value.empty() && (value.back() == '\r' || value.back() == ' ')) value.pop_back();
      return value;
    }
    line = end + 1;
  }
  return "";
}

bool digits(const std::string& text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// The config's "base_url" (the schema below checks its shape), or the default.
std::string base_url_of(const std::string& config_json) {
  const std::string key = "\"base_url\"";
  const size_t at = config_json.find(key);
  if (at == std::string::npos) return "https://resultados.example.com/@NAME@";
  const size_t open = config_json.find('"', config_json.find(':', at + key.size()) + 1);
  const size_t close = config_json.find('"', open + 1);
  return config_json.substr(open + 1, close - open - 1);
}

class @CLASS@Lottery final : public rifa::sdk::LotteryPlugin {
 public:
  @CLASS@Lottery(rifa::sdk::Host host, std::string instance_id, std::string config_json)
      : LotteryPlugin(host, std::move(instance_id), std::move(config_json)), base_url_(base_url_of(this->config_json())) {
    if (!base_url_.empty() && base_url_.back() == '/') throw Error(RIFA_ERR_CONFIG, "base_url must not end with '/'");
  }

  // RIFA_OK with the draw, NotPublished before it is out, not_found on a day without a draw, or the
  // host's error when the source cannot be reached (let it propagate: the host retries).
  DrawAnswer fetch_draw(const std::string& date_iso) override {
    const auto date = rifa::sdk::parse_iso_date(date_iso);
    if (!date) throw Error(RIFA_ERR_INVALID_ARGUMENT, "date must be a real date as YYYY-MM-DD, got '" + date_iso + "'");
    const auto weekday = rifa::sdk::weekday_of(*date);
    if (weekday != kDrawDay) throw Error(RIFA_ERR_NOT_FOUND, std::string("no draw on ") + rifa::sdk::english_name(weekday) + "s");
    // The host's clock, never the system's: replays and the conformance kit freeze it.
    if (host().now_unix_ms() < rifa::sdk::bogota_instant_ms(*date, kDrawMinute) + kPublishDelayMinutes * 60000LL) {
      return NotPublished{"the draw of " + date_iso + " is published after 23:30 America/Bogota"};
    }
    rifa::sdk::HttpRequest request;
    request.url = base_url_ + "/" + date_iso + ".txt";
    request.headers = {{"Accept", "text/plain"}};
    const rifa::sdk::HttpResponse response = host().http(request);  // recorded and replayed by the host
    if (response.status == 404) return NotPublished{"no results page for " + date_iso + " yet (HTTP 404)"};
    if (response.status != 200) throw Error(RIFA_ERR_TRANSPORT, "GET " + request.url + ": HTTP " + std::to_string(response.status));
    return parse_page(date_iso, response.effective_url, response.body);
  }

  // Reads a page fetch_draw would have read. No HTTP here.
  DrawAnswer parse_page(const std::string& date_iso, const std::string& url, const std::string& body) override {
    const std::string fecha = field(body, "fecha");
    const std::string sorteo = field(body, "sorteo");
    const std::string numero = field(body, "numero");
    const std::string serie = field(body, "serie");
    if (fecha.empty() || sorteo.empty() || numero.empty()) throw Error(RIFA_ERR_PARSE, "no 'fecha', 'sorteo' or 'numero' line: layout changed?");
    if (numero == "----") return NotPublished{"the page shows no number yet"};
    if (fecha != date_iso) throw Error(RIFA_ERR_VALIDATION, "the page is for " + fecha + ", not " + date_iso);
    if (!digits(sorteo) || !digits(numero) || numero.size() != 4 || (!serie.empty() && !digits(serie))) {
      throw Error(RIFA_ERR_VALIDATION, "sorteo '" + sorteo + "', numero '" + numero + "' or serie '" + serie + "' is malformed");
    }
    std::string result = "{\"date\": " + json_quote(date_iso) + ", \"draw_number\": " + json_quote(sorteo) +
                         ", \"numbers\": [" + json_quote(numero) + "]";
    if (!serie.empty()) result += ", \"series\": " + json_quote(serie);
    return result + ", \"source_url\": " + json_quote(url) + ", \"raw_sha256\": " + json_quote(rifa::sdk::sha256_hex(body)) + "}";
  }

  std::string schedule() override {
    return std::string("{\"timezone\": \"America/Bogota\", \"days\": [\"") + rifa::sdk::english_name(kDrawDay) +
           "\"], \"time\": \"" + rifa::sdk::format_hh_mm(kDrawMinute) + "\", \"publish_delay_minutes\": " +
           std::to_string(kPublishDelayMinutes) + "}";
  }

 private:
  std::string base_url_;
};

}  // namespace
}  // namespace @NAME@

RIFA_PLUGIN(@NAME@::@CLASS@Lottery, RIFA_KIND_LOTTERY, "@NAME@", "0.1.0", "@CLASS@ lottery",
            R"json({
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "base_url": {"type": "string", "pattern": "^https?://", "default": "https://resultados.example.com/@NAME@",
                 "description": "Results pages live at <base_url>/<YYYY-MM-DD>.txt"}
  }
})json")
