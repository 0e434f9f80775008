#pragma once
// Plugin side only: glue between the lottery cores and the SDK (rifa/sdk/plugin.hpp), shared by
// the lottery_* MODULE targets. Header-only so that rifa_lottery_common itself needs no SDK.

#include <chrono>
#include <functional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "rifa/lottery/bogota_time.hpp"
#include "rifa/lottery/date.hpp"
#include "rifa/lottery/draw_schedule.hpp"
#include "rifa/lottery/outcome.hpp"
#include "rifa/lottery/source_policy.hpp"
#include "rifa/sdk/plugin.hpp"

namespace rifa::lottery::plugin {

/// One configured source: which parser reads it (`kind`) and where it lives.
struct SourceConfig {
  std::string kind;
  std::string url;
};

/// The asked date, or RIFA_ERR_INVALID_ARGUMENT naming it.
inline Date require_date(const std::string& iso) {
  auto date = parse_iso_date(iso);
  if (!date) throw sdk::Error(RIFA_ERR_INVALID_ARGUMENT, "date must be a real date as YYYY-MM-DD, got '" + iso + "'");
  return *date;
}

/// The config's "sources" list, or `defaults` when absent. The schema already checked the shape.
inline std::vector<SourceConfig> read_sources(const nlohmann::json& config, std::vector<SourceConfig> defaults) {
  if (!config.contains("sources")) return defaults;
  std::vector<SourceConfig> sources;
  for (const auto& item : config["sources"]) {
    sources.push_back({item.at("kind").get<std::string>(), item.at("url").get<std::string>()});
  }
  if (sources.empty()) throw sdk::Error(RIFA_ERR_CONFIG, "sources must list at least one source");
  return sources;
}

inline SourcePolicy read_policy(const nlohmann::json& config) {
  const std::string text = config.value("policy", std::string("first_that_answers"));
  auto policy = parse_source_policy(text);
  if (!policy)
    throw sdk::Error(RIFA_ERR_CONFIG, "policy must be first_that_answers or two_that_agree, got '" + text + "'");
  return *policy;
}

inline std::vector<std::string> source_names(const std::vector<SourceConfig>& sources) {
  std::vector<std::string> names;
  for (const auto& source : sources) names.push_back(source.kind + " (" + source.url + ")");
  return names;
}

/// A transport failure kept for rethrowing: the host's status (timeout, transport, not_recorded,
/// invalid_argument for a URL outside the egress allow-list) must reach the caller unchanged.
inline SourceAttempt failed_attempt(std::exception_ptr failure, std::string message) {
  SourceAttempt attempt;
  attempt.kind = SourceAttempt::Kind::kInfrastructure;
  attempt.failure = std::move(failure);
  attempt.failure_message = std::move(message);
  return attempt;
}

inline SourceAttempt outcome_attempt(Outcome outcome) {
  SourceAttempt attempt;
  attempt.outcome = std::move(outcome);
  return attempt;
}

inline SourceAttempt skipped_attempt(Outcome why) {
  SourceAttempt attempt;
  attempt.kind = SourceAttempt::Kind::kSkipped;
  attempt.outcome = std::move(why);
  return attempt;
}

/// Performs `request`; a response is returned only when its status is 2xx. Any other status is
/// a transport failure naming the status and URL (Cloudflare's 403 to bots, a 503 in
/// maintenance): the page is not the results page and must not be parsed.
/// When `not_found_reason` is given, a 404 reads as NotPublished with that reason (a per-draw page
/// that does not exist yet).
inline std::variant<sdk::HttpResponse, SourceAttempt> perform(const sdk::Host& host, const sdk::HttpRequest& request,
                                                              const std::string& lottery,
                                                              const std::string& not_found_reason = "") {
  try {
    sdk::HttpResponse response = host.http(request);
    if (response.status == 404 && !not_found_reason.empty()) {
      return outcome_attempt(Outcome::not_published(not_found_reason));
    }
    if (response.status < 200 || response.status > 299) {
      const std::string message =
          lottery + ": HTTP " + std::to_string(response.status) + " from " + request.method + " " + request.url;
      return failed_attempt(std::make_exception_ptr(sdk::Error(RIFA_ERR_TRANSPORT, message)), message);
    }
    return response;
  } catch (const sdk::Error& e) { return failed_attempt(std::current_exception(), e.what()); }
}

/// The plugin's answer for a verdict: the draw as the abi.h JSON, NotPublished, or an Error.
inline sdk::DrawAnswer answer(const SourceVerdict& verdict) {
  if (verdict.failure) std::rethrow_exception(verdict.failure);
  const Outcome& outcome = *verdict.outcome;
  switch (outcome.kind()) {
    // A Latin-1 page can put invalid UTF-8 into a seco's name; replace it rather than fail.
    case OutcomeKind::kOk:
      return to_json(outcome.draw()).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    case OutcomeKind::kNotPublished: return sdk::NotPublished{outcome.message()};
    case OutcomeKind::kParseError: throw sdk::Error(RIFA_ERR_PARSE, outcome.message());
    case OutcomeKind::kValidationError: throw sdk::Error(RIFA_ERR_VALIDATION, outcome.message());
  }
  throw sdk::Error(RIFA_ERR_INTERNAL, "unknown outcome");
}

inline sdk::DrawAnswer answer(Outcome outcome) { return answer(SourceVerdict{std::move(outcome), nullptr}); }

/// A reason when the draw of `date` cannot have been published yet by the host's clock (its draw
/// time plus `publish_delay_minutes` is still ahead), so no request is made; "" otherwise.
inline std::string not_drawn_yet(const sdk::Host& host, const std::string& lottery, const Date& date,
                                 const DrawSchedule& schedule, int publish_delay_minutes) {
  const auto now = std::chrono::sys_seconds{std::chrono::seconds{host.now_unix_ms() / 1000}};
  const auto published =
      bogota_instant(date, schedule.config().draw_minute_of_day) + std::chrono::minutes{publish_delay_minutes};
  if (now >= published) return "";
  return lottery + ": the draw of " + format_iso(date) + " is not published before " +
         std::to_string(schedule.config().draw_minute_of_day / 60) + ":" +
         (schedule.config().draw_minute_of_day % 60 < 10 ? "0" : "") +
         std::to_string(schedule.config().draw_minute_of_day % 60) + " America/Bogota plus " +
         std::to_string(publish_delay_minutes) + " minutes";
}

inline std::string english_weekday(std::chrono::weekday day) {
  return sdk::english_name(static_cast<sdk::Weekday>(day.c_encoding()));
}

inline std::string hh_mm(int minute_of_day) { return sdk::format_hh_mm(minute_of_day); }

/// {"timezone", "days" (in force on `today`), "time", "publish_delay_minutes", "holiday_policy",
/// "periods": [{"since", "days"}]} — the periods let the host see rule changes (Baloto's Mondays).
inline nlohmann::json schedule_json(const DrawSchedule& schedule, const Date& today, int publish_delay_minutes) {
  const auto days_of = [](const std::vector<std::chrono::weekday>& days) {
    nlohmann::json list = nlohmann::json::array();
    for (auto day : days) list.push_back(english_weekday(day));
    return list;
  };
  nlohmann::json periods = nlohmann::json::array();
  for (const auto& period : schedule.config().periods) {
    periods.push_back({{"since", format_iso(period.since)}, {"days", days_of(period.days)}});
  }
  const bool moves = schedule.config().holiday_policy == HolidayPolicy::kMovesWithinWeekOrSkips;
  return {{"timezone", kBogotaTimeZone},
          {"days", days_of(schedule.regular_days(today))},
          {"time", hh_mm(schedule.config().draw_minute_of_day)},
          {"publish_delay_minutes", publish_delay_minutes},
          {"holiday_policy", moves ? "moves_within_week_or_skips" : "draws_on_holidays"},
          {"periods", periods}};
}

/// The longest range draw_dates answers (the host asks for at most 400 days, ABI.md).
inline constexpr int kMaxDrawDatesRangeDays = 400;

/// draw_dates (ABI 1.1) from a schedule: [{"date", "time", "timezone"}] for every expected draw
/// from `from_iso` to `to_iso` inclusive (DrawSchedule::expected_draw_dates). A malformed, reversed
/// or too long range is RIFA_ERR_INVALID_ARGUMENT naming it.
inline std::string draw_dates_json(const DrawSchedule& schedule, const std::string& from_iso,
                                   const std::string& to_iso) {
  const auto from = parse_iso_date(from_iso);
  if (!from)
    throw sdk::Error(RIFA_ERR_INVALID_ARGUMENT, "from must be a real date as YYYY-MM-DD, got '" + from_iso + "'");
  const auto to = parse_iso_date(to_iso);
  if (!to) throw sdk::Error(RIFA_ERR_INVALID_ARGUMENT, "to must be a real date as YYYY-MM-DD, got '" + to_iso + "'");
  if (to_days(*to) < to_days(*from)) {
    throw sdk::Error(RIFA_ERR_INVALID_ARGUMENT, "to (" + to_iso + ") is before from (" + from_iso + ")");
  }
  if ((to_days(*to) - to_days(*from)).count() >= kMaxDrawDatesRangeDays) {
    throw sdk::Error(RIFA_ERR_INVALID_ARGUMENT, "the range " + from_iso + ".." + to_iso + " is longer than " +
                                                    std::to_string(kMaxDrawDatesRangeDays) + " days");
  }
  const std::string time = hh_mm(schedule.config().draw_minute_of_day);
  nlohmann::json draws = nlohmann::json::array();
  for (const Date& date : schedule.expected_draw_dates(*from, *to)) {
    draws.push_back({{"date", format_iso(date)}, {"time", time}, {"timezone", kBogotaTimeZone}});
  }
  return draws.dump();
}

inline Date today_in_bogota(const sdk::Host& host) {
  return bogota_date_of(std::chrono::sys_seconds{std::chrono::seconds{host.now_unix_ms() / 1000}});
}

/// The parsed instance config; the host validated it against the schema, so a failure here means
/// a host that did not.
inline nlohmann::json parse_config(const std::string& text) {
  try {
    return text.empty() ? nlohmann::json::object() : nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw sdk::Error(RIFA_ERR_CONFIG, std::string("config is not JSON: ") + e.what());
  }
}

}  // namespace rifa::lottery::plugin
