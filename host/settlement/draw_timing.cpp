#include "settlement/draw_timing.hpp"

#include <array>
#include <cstdio>

namespace rifa::settlement {
namespace {

using namespace std::chrono;

constexpr auto kBogotaOffset = hours(-5);
const std::array<const char*, 7> kDayNames = {"sunday",   "monday", "tuesday", "wednesday",
                                              "thursday", "friday", "saturday"};

std::optional<sys_days> parse_date(const std::string& text) {
  int y = 0;
  unsigned m = 0, d = 0;
  char tail = 0;
  if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3) return std::nullopt;
  const year_month_day ymd{year{y}, month{m}, day{d}};
  if (!ymd.ok()) return std::nullopt;
  return sys_days{ymd};
}

std::string format_date(sys_days days) {
  const year_month_day ymd{days};
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return out;
}

}  // namespace

Result<DrawSchedule> parse_draw_schedule(const nlohmann::json& j) {
  DrawSchedule s;
  if (!j.is_object()) return make_error(ErrorCode::kInvalidArgument, "schedule: must be an object");
  if (j.contains("timezone") && j["timezone"] != "America/Bogota") {
    return make_error(ErrorCode::kInvalidArgument, "schedule.timezone: only America/Bogota is supported");
  }
  if (!j.contains("days") || !j["days"].is_array()) {
    return make_error(ErrorCode::kInvalidArgument, "schedule.days: must be an array of day names");
  }
  for (const auto& day : j["days"]) {
    bool known = false;
    for (unsigned i = 0; i < kDayNames.size(); ++i) {
      if (day.is_string() && day.get<std::string>() == kDayNames[i]) {
        s.weekdays.insert(i);
        known = true;
      }
    }
    if (!known) return make_error(ErrorCode::kInvalidArgument, "schedule.days: unknown day " + day.dump());
  }
  const std::string time = j.value("time", std::string("00:00"));
  unsigned hh = 0, mm = 0;
  char tail = 0;
  if (time.size() != 5 || std::sscanf(time.c_str(), "%2u:%2u%c", &hh, &mm, &tail) != 2 || hh > 23 || mm > 59) {
    return make_error(ErrorCode::kInvalidArgument, "schedule.time: must be HH:MM");
  }
  s.draw_minutes = static_cast<int>(hh * 60 + mm);
  const auto& delay = j.value("publish_delay_minutes", nlohmann::json(0));
  if (!delay.is_number_integer() || delay.get<int64_t>() < 0 || delay.get<int64_t>() > 7 * 24 * 60) {
    return make_error(ErrorCode::kInvalidArgument, "schedule.publish_delay_minutes: must be 0..10080");
  }
  s.publish_delay_minutes = static_cast<int>(delay.get<int64_t>());
  return s;
}

bool is_iso_date(const std::string& text) { return parse_date(text).has_value(); }

std::string bogota_date(TimePoint t) { return format_date(floor<days>(t + kBogotaOffset)); }

std::optional<TimePoint> bogota_midnight(const std::string& date_iso) {
  auto d = parse_date(date_iso);
  if (!d) return std::nullopt;
  return TimePoint(*d) - kBogotaOffset;
}

TimePoint expected_publication(const DrawSchedule& s, const std::string& date_iso) {
  const TimePoint midnight = bogota_midnight(date_iso).value_or(TimePoint{});
  return midnight + minutes(s.draw_minutes + s.publish_delay_minutes);
}

bool draws_on(const DrawSchedule& s, const std::string& date_iso) {
  auto d = parse_date(date_iso);
  return d && s.weekdays.count(weekday{*d}.c_encoding()) != 0;
}

std::optional<std::string> first_draw_date(const DrawSchedule& s, TimePoint not_before) {
  if (s.weekdays.empty()) return std::nullopt;
  const sys_days first = floor<days>(not_before + kBogotaOffset);
  for (int i = 0; i <= 31; ++i) {
    const sys_days d = first + days(i);
    if (!s.weekdays.count(weekday{d}.c_encoding())) continue;
    const TimePoint draw_at = TimePoint(d) - kBogotaOffset + minutes(s.draw_minutes);
    if (draw_at >= not_before) return format_date(d);
  }
  return std::nullopt;
}

}  // namespace rifa::settlement
