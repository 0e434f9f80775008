#include "app/plugin_check.hpp"

#include <atomic>
#include <chrono>
#include <climits>
#include <set>

#include <nlohmann/json.hpp>

#include "app/logging.hpp"
#include "app/lottery_cases.hpp"
#include "app/notifier_cases.hpp"
#include "app/payment_cases.hpp"
#include "plugin_runtime/json_schema.hpp"
#include "plugin_runtime/plugin_instance.hpp"
#include "plugin_runtime/plugin_library.hpp"
#include "rifa/sdk/time.hpp"

namespace rifa::app {
namespace {

namespace sdk = ::rifa::sdk;
using nlohmann::json;
using plugin_runtime::CallOutcome;
using plugin_runtime::status_name;

// Every request times out: what a plugin meets when its source is down.
class TimingOutTransport final : public plugin_runtime::HttpTransport {
 public:
  Result<plugin_runtime::HttpResponse> perform(const plugin_runtime::HttpRequest& request) override {
    ++calls;
    return make_error(ErrorCode::kTimeout, request.method + " " + request.url + ": timed out (conformance check)");
  }
  std::atomic<int> calls{0};
};

class Report {
 public:
  explicit Report(std::ostream& out) : out_(out) {}
  void pass(const std::string& name, const std::string& detail = "") { line("PASS", name, detail); }
  void fail(const std::string& name, const std::string& detail) {
    ++failures_;
    line("FAIL", name, detail);
  }
  void skip(const std::string& name, const std::string& detail) { line("SKIP", name, detail); }
  void note(const std::string& name, const std::string& detail) { line("NOTE", name, detail); }
  int failures() const { return failures_; }

 private:
  void line(const char* verdict, const std::string& name, const std::string& detail) {
    out_ << verdict << "  " << name << (detail.empty() ? "" : ": " + detail) << "\n";
  }
  std::ostream& out_;
  int failures_ = 0;
};

// A config made of the schema's defaults, for plugins whose required properties all have one.
std::optional<json> default_config(const json& schema) {
  json config = json::object();
  const json properties = schema.value("properties", json::object());
  for (const auto& [name, property] : properties.items()) {
    if (property.contains("default")) config[name] = property["default"];
  }
  for (const auto& name : schema.value("required", json::array())) {
    if (!config.contains(name.get<std::string>())) return std::nullopt;
  }
  return config;
}

bool is_error_status(rifa_status s) { return s != RIFA_OK && s != RIFA_NOT_PUBLISHED; }

std::string describe(const CallOutcome& call) {
  std::string text = status_name(call.status);
  if (call.ok()) return text + (call.result.empty() ? "" : " " + call.result);
  return text + (call.error.empty() ? "" : " (" + call.error + ")");
}

std::string requests_text(int n) {
  return n == 0 ? "no HTTP request" : std::to_string(n) + " HTTP request" + (n == 1 ? "" : "s");
}

// What the lottery's schedule() says, read as the kit needs it.
struct ScheduleFacts {
  bool published = false;  // schedule() answered
  std::set<int> days;      // sdk::Weekday values
  int minute_of_day = 0;   // "time"
  int publish_delay_minutes = 0;
  bool synthetic = false;  // "source": "synthetic": the plugin reads no outside source (a mock)
};

std::string day_list(const std::set<int>& days) {
  std::string text;
  for (int d : days) text += (text.empty() ? "" : ", ") + std::string(sdk::english_name(static_cast<sdk::Weekday>(d)));
  return text;
}

std::string dated(const sdk::CivilDate& date) {
  return sdk::format_iso(date) + " (a " + sdk::english_name(sdk::weekday_of(date)) + ")";
}

// Check 7: schedule() is JSON of the documented shape, with weekdays the kit can read.
ScheduleFacts check_schedule(plugin_runtime::PluginInstance& instance, Report& report) {
  ScheduleFacts facts;
  const std::string check = "schedule() shape";
  CallOutcome schedule = instance.schedule();
  if (schedule.status == RIFA_ERR_UNSUPPORTED) {
    report.skip(check,
                "the plugin publishes no schedule: the host asks for a draw every day, and the kit cannot "
                "pick a day without a draw. Override schedule() to answer {\"timezone\": \"America/Bogota\", "
                "\"days\": [\"thursday\"], \"time\": \"22:30\", \"publish_delay_minutes\": 60}");
    return facts;
  }
  if (schedule.status != RIFA_OK) {
    report.fail(check,
                "schedule() answered " + describe(schedule) +
                    "; it should answer RIFA_OK with the schedule JSON, or RIFA_ERR_UNSUPPORTED when there is none");
    return facts;
  }
  std::vector<std::string> problems;
  json doc;
  try {
    doc = json::parse(schedule.result);
  } catch (const json::exception& e) {
    report.fail(check, std::string("schedule() answered text that is not JSON (") + e.what() + "): " + schedule.result);
    return facts;
  }
  if (!doc.is_object()) {
    report.fail(check, "schedule() should answer a JSON object, got " + schedule.result);
    return facts;
  }
  if (doc.value("timezone", "") != sdk::kBogotaTimeZone)
    problems.push_back("\"timezone\" should be \"America/Bogota\"");
  if (!doc.contains("days") || !doc["days"].is_array() || doc["days"].empty()) {
    problems.push_back("\"days\" should list the draw weekdays in English, e.g. [\"thursday\"]");
  } else {
    for (const auto& day : doc["days"]) {
      auto weekday = day.is_string() ? sdk::parse_english_weekday(day.get<std::string>()) : std::nullopt;
      if (!weekday) {
        problems.push_back("\"days\" holds " + day.dump() +
                           ", not an English weekday name (\"monday\" ... \"sunday\")");
      } else {
        facts.days.insert(static_cast<int>(*weekday));
      }
    }
  }
  if (doc.contains("time")) {
    auto minute = doc["time"].is_string() ? sdk::parse_hh_mm(doc["time"].get<std::string>()) : std::nullopt;
    if (!minute) {
      problems.push_back("\"time\" should be the local draw time as \"HH:MM\", got " + doc["time"].dump());
    } else {
      facts.minute_of_day = *minute;
    }
  }
  if (doc.contains("publish_delay_minutes")) {
    if (!doc["publish_delay_minutes"].is_number_integer() || doc["publish_delay_minutes"].get<int64_t>() < 0) {
      problems.push_back("\"publish_delay_minutes\" should be a non-negative integer");
    } else {
      facts.publish_delay_minutes = doc["publish_delay_minutes"].get<int>();
    }
  }
  if (!problems.empty()) {
    std::string text;
    for (const auto& p : problems) text += (text.empty() ? "" : "; ") + p;
    report.fail(check, text + " (schedule() answered " + schedule.result + ")");
    facts.days.clear();
    return facts;
  }
  facts.synthetic = doc.value("source", "") == "synthetic";
  facts.published = true;
  report.pass(check, schedule.result);
  return facts;
}

// Check 8: draw_dates() (ABI 1.1), when offered, agrees with schedule()'s weekdays over the
// probe window. Returns the dates it answered (nullopt when it is not offered or is wrong).
std::optional<std::set<int64_t>> check_draw_dates(plugin_runtime::PluginInstance& instance, const ScheduleFacts& facts,
                                                  const sdk::CivilDate& from, const sdk::CivilDate& to,
                                                  Report& report) {
  const std::string check = "draw_dates(" + sdk::format_iso(from) + ", " + sdk::format_iso(to) + ")";
  CallOutcome call = instance.draw_dates(sdk::format_iso(from), sdk::format_iso(to));
  if (call.status == RIFA_ERR_UNSUPPORTED) {
    report.skip(check, "not offered (ABI 1.1, optional): the host reads schedule()'s weekdays");
    return std::nullopt;
  }
  if (call.status != RIFA_OK) {
    report.fail(check, "answered " + describe(call) +
                           "; it should answer the draws of the range as "
                           "[{\"date\", \"time\", \"timezone\"}], or RIFA_ERR_UNSUPPORTED");
    return std::nullopt;
  }
  std::set<int64_t> days;
  try {
    const json list = json::parse(call.result);
    if (!list.is_array()) throw std::runtime_error("not a JSON array");
    int64_t previous = INT64_MIN;
    for (const auto& item : list) {
      auto date = sdk::parse_iso_date(item.at("date").get<std::string>());
      if (!date) throw std::runtime_error("\"date\" " + item["date"].dump() + " is not YYYY-MM-DD");
      if (*date < from || *date > to) throw std::runtime_error(sdk::format_iso(*date) + " is outside the range asked");
      if (sdk::to_days(*date) <= previous) throw std::runtime_error("dates must be in increasing order");
      previous = sdk::to_days(*date);
      days.insert(previous);
    }
  } catch (const std::exception& e) {
    report.fail(check, std::string("answered ") + call.result + ": " + e.what() +
                           "; it should answer [{\"date\": \"YYYY-MM-DD\", \"time\": \"HH:MM\", \"timezone\": "
                           "\"America/Bogota\"}, ...] in date order");
    return std::nullopt;
  }
  // Every listed date should fall on a schedule() weekday, or in a week with a holiday (a moved draw).
  for (int64_t d : days) {
    const sdk::CivilDate date = sdk::civil_from_days(d);
    if (facts.days.count(static_cast<int>(sdk::weekday_of(date)))) continue;
    bool holiday_week = false;
    const int64_t monday = d - (static_cast<int>(sdk::weekday_of(date)) + 6) % 7;
    for (int64_t w = monday; w < monday + 7; ++w) holiday_week |= sdk::is_colombian_holiday(sdk::civil_from_days(w));
    if (!holiday_week) {
      report.fail(check, "lists " + dated(date) + ", a day schedule() does not name (" + day_list(facts.days) +
                             ") in a week without a holiday: the two should describe the same calendar");
      return std::nullopt;
    }
  }
  report.pass(check, std::to_string(days.size()) + " draw(s), consistent with schedule()");
  return days;
}

// A week (Monday..Sunday) holding `date` has a national holiday: a draw may move into it.
bool in_holiday_week(const sdk::CivilDate& date) {
  const int64_t d = sdk::to_days(date);
  const int64_t monday = d - (static_cast<int>(sdk::weekday_of(date)) + 6) % 7;
  for (int64_t w = monday; w < monday + 7; ++w) {
    if (sdk::is_colombian_holiday(sdk::civil_from_days(w))) return true;
  }
  return false;
}

void check_lottery(plugin_runtime::PluginInstance& instance, const TimingOutTransport& transport, int64_t now_ms,
                   Report& report) {
  const sdk::CivilDate today = sdk::bogota_date_of_ms(now_ms);
  const ScheduleFacts facts = check_schedule(instance, report);

  // The probe window: from 5 weeks back to 2 days back by the kit's clock, so that every draw in it
  // is held and published (time + publish_delay_minutes are past) whatever the plugin's delays.
  const sdk::CivilDate window_from = sdk::add_days(today, -35);
  const sdk::CivilDate window_to = sdk::add_days(today, -2);
  std::optional<std::set<int64_t>> calendar;
  if (facts.published) calendar = check_draw_dates(instance, facts, window_from, window_to, report);
  const auto scheduled = [&](const sdk::CivilDate& d) {
    if (calendar) return calendar->count(sdk::to_days(d)) > 0;
    return facts.days.count(static_cast<int>(sdk::weekday_of(d))) > 0 && !in_holiday_week(d);
  };
  const auto unscheduled = [&](const sdk::CivilDate& d) {
    if (facts.days.count(static_cast<int>(sdk::weekday_of(d))) || in_holiday_week(d)) return false;
    return !calendar || calendar->count(sdk::to_days(d)) == 0;
  };
  std::optional<sdk::CivilDate> draw_day;
  std::optional<sdk::CivilDate> no_draw_day;
  for (sdk::CivilDate d = window_to; d >= window_from; d = sdk::add_days(d, -1)) {
    if (!facts.published) break;
    if (!draw_day && scheduled(d)) draw_day = d;
    if (!no_draw_day && unscheduled(d)) no_draw_day = d;
  }
  std::string how = "a day schedule() lists";
  if (!facts.published) {
    draw_day = sdk::add_days(today, -7);
    how = "no schedule() to pick from: a week before the kit's clock";
  } else if (!draw_day) {
    draw_day = sdk::add_days(today, -7);
    how = "schedule() lists no draw in the 5 weeks before the kit's clock: a week before it";
  } else if (calendar) {
    how = "a day draw_dates() lists";
  }

  // Check 9: a draw day whose source times out. The answer must be the host's error.
  {
    const std::string check = "fetch_draw(" + sdk::format_iso(*draw_day) + ") with the source timing out";
    const int before = transport.calls;
    CallOutcome fetched = instance.fetch_draw(sdk::format_iso(*draw_day));
    const int made = transport.calls - before;
    const std::string context = sdk::format_iso(*draw_day) + " is " + how + " (" +
                                sdk::english_name(sdk::weekday_of(*draw_day)) +
                                "), its draw and publication are past "
                                "by the plugin's clock, and every HTTP request through the host times out. ";
    if ((fetched.status == RIFA_ERR_TIMEOUT || fetched.status == RIFA_ERR_TRANSPORT) && made > 0) {
      report.pass(check, status_name(fetched.status) + " after " + requests_text(made) + ": " + fetched.error);
    } else if (facts.synthetic && fetched.status == RIFA_OK && made == 0) {
      report.pass(check,
                  "ok with no HTTP request: schedule() declares \"source\": \"synthetic\" (a plugin that "
                  "reads no outside source, such as a mock)");
    } else if (fetched.status == RIFA_OK && made == 0) {
      report.fail(check, context + "The plugin answered ok with " + requests_text(made) + " (" + fetched.result +
                             "). It should read the draw from its source through host().http() (the host "
                             "records and replays those exchanges) and, when that throws, let the rifa::sdk::Error "
                             "propagate: the answer here should be timeout");
    } else if (fetched.status == RIFA_OK) {
      report.fail(check, context + "The plugin answered ok after " + requests_text(made) + " that all timed out (" +
                             fetched.result +
                             "). A draw must come from a page the plugin read; it should pass the host's error on "
                             "(timeout), and the host retries with backoff");
    } else if (fetched.status == RIFA_NOT_PUBLISHED) {
      report.fail(check, context + "The plugin answered not_published after " + requests_text(made) +
                             (fetched.error.empty() ? "" : " (" + fetched.error + ")") +
                             ". not_published means the source answered without the result yet; when the source "
                             "cannot be reached the plugin should pass the host's error on (timeout or transport)" +
                             (made == 0 ? ", and it should have asked the source at all" : ""));
    } else if (fetched.status == RIFA_ERR_NOT_FOUND || fetched.status == RIFA_ERR_VALIDATION ||
               fetched.status == RIFA_ERR_INVALID_ARGUMENT) {
      report.fail(check, context + "The plugin refused the date: " + describe(fetched) +
                             ". A day its own schedule() lists should be fetched; if the plugin's calendar and "
                             "schedule() disagree, make them agree");
    } else {
      report.fail(check, context + "The plugin answered " + describe(fetched) + " after " + requests_text(made) +
                             "; it should let the host's error from host().http() propagate (timeout or transport)");
    }
  }

  // Check 10: a day without a draw. The answer should be not_found (no request needed).
  if (!facts.published || facts.days.size() == 7) {
    report.skip("fetch_draw on a day without a draw", facts.published
                                                          ? "schedule() lists every weekday"
                                                          : "needs schedule() to know which days have no draw");
  } else if (!no_draw_day) {
    report.skip("fetch_draw on a day without a draw", "no day in the 5 weeks before the kit's clock is free of draws");
  } else {
    const std::string check = "fetch_draw(" + sdk::format_iso(*no_draw_day) + ") on a day without a draw";
    const int before = transport.calls;
    CallOutcome fetched = instance.fetch_draw(sdk::format_iso(*no_draw_day));
    const int made = transport.calls - before;
    const std::string context = dated(*no_draw_day) + " is not a draw day by schedule() (" + day_list(facts.days) +
                                ")" + (calendar ? " nor by draw_dates()" : "") + ", in a week without a holiday. ";
    if (fetched.status == RIFA_ERR_NOT_FOUND) {
      report.pass(check, "not_found after " + requests_text(made) + ": " + fetched.error);
    } else if (fetched.status == RIFA_ERR_TIMEOUT || fetched.status == RIFA_ERR_TRANSPORT) {
      report.pass(check, status_name(fetched.status) + " after " + requests_text(made) +
                             " (accepted: the plugin asks its source; answering not_found, \"no draw on " +
                             sdk::english_name(sdk::weekday_of(*no_draw_day)) +
                             "s\", without a request would tell the host at once)");
    } else if (fetched.status == RIFA_OK) {
      report.fail(check, context + "The plugin answered ok with a draw (" + fetched.result + ") after " +
                             requests_text(made) +
                             ". No draw is held that day; it should answer not_found "
                             "(throw rifa::sdk::Error(RIFA_ERR_NOT_FOUND, \"no draw on " +
                             sdk::english_name(sdk::weekday_of(*no_draw_day)) + "s\"))");
    } else if (fetched.status == RIFA_NOT_PUBLISHED) {
      report.fail(check, context + "The plugin answered not_published" +
                             (fetched.error.empty() ? "" : " (" + fetched.error + ")") +
                             ": the host would wait forever for a draw that is never held. It should answer "
                             "not_found (rifa::sdk::Error(RIFA_ERR_NOT_FOUND, \"no draw on " +
                             sdk::english_name(sdk::weekday_of(*no_draw_day)) + "s\"))");
    } else {
      report.fail(check, context + "The plugin answered " + describe(fetched) +
                             "; it should answer not_found (RIFA_ERR_NOT_FOUND), or pass on its source's error");
    }
    if (is_error_status(fetched.status) && fetched.error.empty()) {
      report.fail("error messages",
                  "fetch_draw answered " + status_name(fetched.status) +
                      " without a message; every error should say why (rifa::sdk::Error(status, message))");
    }
  }

  // Check 11: a malformed page.
  const std::string garbage = "<html><body><h1>Mantenimiento</h1><table><tr><td>-?-</td></tr></table></body></html>";
  CallOutcome parsed = instance.parse_page(sdk::format_iso(*draw_day), "https://example.invalid/", garbage);
  if (parsed.status == RIFA_ERR_PARSE || parsed.status == RIFA_NOT_PUBLISHED) {
    report.pass("parse_page on a malformed page", status_name(parsed.status) + ": " + parsed.error);
  } else {
    report.fail("parse_page on a malformed page",
                "a maintenance page with no result was answered with " + describe(parsed) +
                    "; it should be parse (rifa::sdk::Error(RIFA_ERR_PARSE, \"what was missing\")), or not_published "
                    "when the page says the result is pending. Never a guessed value");
  }
  if (is_error_status(parsed.status) && parsed.error.empty()) {
    report.fail("error messages", "parse_page failed without saying why; the message should name what was missing");
  }
}

void check_payment(plugin_runtime::PluginInstance& instance, Report& report) {
  CallOutcome bad = instance.create_payment("{not json");
  if (bad.status == RIFA_ERR_INVALID_ARGUMENT) {
    report.pass("create_payment with malformed JSON", bad.error);
  } else {
    report.fail("create_payment with malformed JSON", "expected invalid_argument, got " + status_name(bad.status));
  }
  CallOutcome forged = instance.verify_webhook("POST", "content-type: application/json\n", R"({"forged":true})");
  if (forged.status == RIFA_ERR_SIGNATURE) {
    report.pass("verify_webhook rejects an unsigned body", forged.error);
  } else {
    report.fail("verify_webhook rejects an unsigned body",
                "expected signature error, got " + status_name(forged.status));
  }
}

// A sample event for the notifier checks: about a player, so a channel that needs an address has one.
json sample_event(const std::string& event_id) {
  return {
      {"event_id", event_id},
      {"type", "winner"},
      {"occurred_at", "2026-01-22T23:00:00.000Z"},
      {"rifa_id", "00000000-0000-0000-0000-000000000000"},
      {"data", {{"numero", "42"}, {"monto_ganado", 1250000}, {"usuario_id", "00000000-0000-0000-0000-000000000001"}}},
      {"recipient",
       {{"usuario_id", "00000000-0000-0000-0000-000000000001"},
        {"email", "jugador@example.invalid"},
        {"nombre", "Jugador"},
        {"telefono", "+573000000000"}}}};
}

void check_notifier(plugin_runtime::PluginInstance& instance, const TimingOutTransport& transport, Report& report) {
  // Check N1: an event that is not JSON is refused for good (retrying the same text cannot help).
  {
    CallOutcome bad = instance.deliver("{not json");
    const std::string check = "deliver with malformed JSON";
    if (bad.status == RIFA_ERR_INVALID_ARGUMENT && !bad.error.empty()) {
      report.pass(check, bad.error);
    } else {
      report.fail(check, "answered " + describe(bad) +
                             "; it should answer invalid_argument with a message (rifa::sdk::Error("
                             "RIFA_ERR_INVALID_ARGUMENT, \"the event is not JSON\")): the host gives such an event up");
    }
  }
  // Check N2: the receiver times out. Delivered without a request (a channel that is not HTTP, or
  // nothing to send for this event) or retry after requests; never delivered after they failed.
  const json event = sample_event("conformance-1");
  for (int attempt = 1; attempt <= 2; ++attempt) {
    const std::string check = attempt == 1 ? "deliver with the receiver timing out"
                                           : "deliver again (same event_id, as the host's retry does)";
    const int before = transport.calls;
    CallOutcome sent = instance.deliver(event.dump());
    const int made = transport.calls - before;
    const std::string outcome = notifier_outcome_name(sent.status);
    if (sent.status == RIFA_OK && made == 0) {
      report.pass(check, "delivered with no HTTP request (a channel that is not HTTP, or nothing to send for it)");
    } else if (sent.status == RIFA_OK) {
      report.fail(check, "the plugin answered ok after " + requests_text(made) +
                             " that all timed out: the event was not delivered. It should let the host's error "
                             "propagate (or throw rifa::sdk::Error(RIFA_ERR_TIMEOUT, why)) so the host retries");
    } else if (outcome == std::string("retry") &&
               (sent.status == RIFA_ERR_TIMEOUT || sent.status == RIFA_ERR_TRANSPORT)) {
      report.pass(check,
                  status_name(sent.status) + " after " + requests_text(made) + " (the host retries): " + sent.error);
    } else {
      report.fail(check, "the plugin answered " + describe(sent) + " after " + requests_text(made) +
                             ", which the host takes as " + outcome +
                             "; a receiver that times out may answer later: it should answer timeout or transport "
                             "(the host retries)");
    }
  }
}

}  // namespace

int run_plugin_check(const PluginCheckOptions& options, std::ostream& out) {
  Report report(out);
  // The kit's clock, frozen for the whole run: the plugin sees this instant on every call.
  const int64_t now_ms =
      options.now_unix_ms
          ? *options.now_unix_ms
          : std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
                .count();
  auto library = plugin_runtime::PluginLibrary::load(options.library);
  if (!library) {
    report.fail("load", library.error().message);
    return report.failures();
  }
  const auto& info = (*library)->info();
  report.pass("load", info.name + " " + info.version + " (" + plugin_runtime::kind_name(info.kind) + ", ABI " +
                          std::to_string(info.abi_major) + "." + std::to_string(info.abi_minor) + ")");
  report.pass("config schema uses the supported subset");

  const json& schema = info.config_schema;
  if (schema.value("type", "") != "object") {
    report.fail("config schema", "the top level must be {\"type\": \"object\"}");
  } else if (!schema.contains("additionalProperties") || schema["additionalProperties"] != false) {
    report.fail("config schema", "set \"additionalProperties\": false so that typos in configs are refused");
  } else {
    const json typo = {{"rifa_conformance_unknown_key", true}};
    auto problems = plugin_runtime::validate_against_schema(schema, typo);
    if (problems.empty()) {
      report.fail("invalid config is refused", "a config with an unknown key was accepted");
    } else {
      report.pass("invalid config is refused", problems.front());
    }
  }

  json config;
  if (options.config_json) {
    try {
      config = json::parse(*options.config_json);
    } catch (const json::parse_error& e) {
      report.fail("--config-json", e.what());
      return report.failures();
    }
  } else if (auto defaults = default_config(schema)) {
    config = *defaults;
  } else {
    report.skip("instance checks", "the schema has required properties without defaults; pass --config-json");
    return report.failures();
  }

  plugin_runtime::PluginSpec spec;
  spec.id = "conformance";
  spec.library_path = options.library;
  spec.expected_kind = info.kind;
  spec.config = config;
  plugin_runtime::HostServices services;
  services.logger = make_logger("plugin.conformance");
  services.now_unix_ms = [now_ms] { return now_ms; };
  auto transport = std::make_shared<TimingOutTransport>();
  services.transport = transport;
  auto instance = plugin_runtime::PluginInstance::create(*library, spec, services);
  if (!instance) {
    report.fail("create instance", instance.error().message + " — the config was " + config.dump() +
                                       (options.config_json ? " (--config-json)" : " (the schema's defaults)") +
                                       (options.config_json ? "; fix the config or the plugin's check of it"
                                                            : "; the schema's defaults should make a working instance, "
                                                              "or pass a working config with --config-json"));
    return report.failures();
  }
  report.pass("create instance", config.dump());
  report.note("clock", "the plugin's clock (host().now_unix_ms()) is frozen at " + format_case_now(now_ms) +
                           " for every check; probe dates are picked relative to it");

  switch (info.kind) {
    case RIFA_KIND_LOTTERY: check_lottery(**instance, *transport, now_ms, report); break;
    case RIFA_KIND_PAYMENT: check_payment(**instance, report); break;
    case RIFA_KIND_NOTIFIER: check_notifier(**instance, *transport, report); break;
    default: break;
  }
  int failures = report.failures();
  if (options.fixtures_dir && info.kind == RIFA_KIND_PAYMENT) {
    // The recorded payment cases (app/payment_cases.hpp: create, webhook, look-up and refund steps
    // against cassettes of the provider's API), offline.
    out << "recorded payment cases under " << options.fixtures_dir->string() << ":\n";
    failures += run_payment_cases(*options.fixtures_dir, out, options.library);
  } else if (options.fixtures_dir && info.kind == RIFA_KIND_NOTIFIER) {
    // The recorded notifier cases (app/notifier_cases.hpp: events against a receiver's recorded
    // answers, HTTP through the cassette or SMTP from a loopback responder), offline.
    out << "recorded notifier cases under " << options.fixtures_dir->string() << ":\n";
    NotifierCaseOptions run;
    run.library_override = options.library;
    failures += run_notifier_cases(*options.fixtures_dir, run, out);
  } else if (options.fixtures_dir) {
    // Check 12: the recorded cases of this library, each with its clock frozen at its "now".
    out << "recorded cases under " << options.fixtures_dir->string() << ":\n";
    CaseRunOptions run;
    run.library_override = options.library;
    failures += run_lottery_cases(*options.fixtures_dir, run, out);
  }
  out << (failures == 0 ? "OK" : "FAILED") << ": " << failures << " check(s) failed\n";
  return failures;
}

}  // namespace rifa::app
