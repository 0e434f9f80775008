#include "engine/settlement/draw_timing.hpp"

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

// "HH:MM" as minutes after midnight.
std::optional<int> parse_hh_mm(const std::string& text) {
  unsigned hh = 0, mm = 0;
  char tail = 0;
  if (text.size() != 5 || std::sscanf(text.c_str(), "%2u:%2u%c", &hh, &mm, &tail) != 2 || hh > 23 || mm > 59) {
    return std::nullopt;
  }
  return static_cast<int>(hh * 60 + mm);
}

std::string format_hh_mm(int minutes_of_day) {
  char out[8];
  std::snprintf(out, sizeof out, "%02d:%02d", minutes_of_day / 60 % 24, minutes_of_day % 60);
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
  const auto& time = j.value("time", nlohmann::json("00:00"));
  const auto minutes_of_day = time.is_string() ? parse_hh_mm(time.get<std::string>()) : std::nullopt;
  if (!minutes_of_day) return make_error(ErrorCode::kInvalidArgument, "schedule.time: must be HH:MM");
  s.draw_minutes = *minutes_of_day;
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

std::optional<std::string> add_days(const std::string& date_iso, int n) {
  auto d = parse_date(date_iso);
  if (!d) return std::nullopt;
  return format_date(*d + days(n));
}

std::optional<int> days_between(const std::string& from_iso, const std::string& to_iso) {
  auto from = parse_date(from_iso);
  auto to = parse_date(to_iso);
  if (!from || !to) return std::nullopt;
  return static_cast<int>((*to - *from).count());
}

std::vector<engine::ScheduledDraw> scheduled_draws(const DrawSchedule& s, const std::string& from_iso,
                                                   const std::string& to_iso) {
  std::vector<engine::ScheduledDraw> out;
  auto from = parse_date(from_iso);
  auto to = parse_date(to_iso);
  if (!from || !to) return out;
  for (sys_days d = *from; d <= *to; d += days(1)) {
    if (!s.weekdays.count(weekday{d}.c_encoding())) continue;
    out.push_back(
        {format_date(d), format_hh_mm(s.draw_minutes), TimePoint(d) - kBogotaOffset + minutes(s.draw_minutes)});
  }
  return out;
}

Result<std::vector<engine::ScheduledDraw>> parse_draw_dates(const nlohmann::json& j, const std::string& from_iso,
                                                            const std::string& to_iso) {
  if (!j.is_array()) return make_error(ErrorCode::kInvalidArgument, "draw_dates: must be an array");
  std::vector<engine::ScheduledDraw> out;
  for (size_t i = 0; i < j.size(); ++i) {
    const auto& item = j[i];
    const std::string at = "draw_dates[" + std::to_string(i) + "]";
    if (!item.is_object()) return make_error(ErrorCode::kInvalidArgument, at + ": must be an object");
    const auto& date = item.value("date", nlohmann::json());
    const auto day = date.is_string() ? parse_date(date.get<std::string>()) : std::nullopt;
    if (!day) return make_error(ErrorCode::kInvalidArgument, at + ".date: must be a date as YYYY-MM-DD");
    const std::string date_iso = date.get<std::string>();
    if (date_iso < from_iso || date_iso > to_iso) {
      return make_error(ErrorCode::kInvalidArgument,
                        at + ".date: " + date_iso + " is outside " + from_iso + ".." + to_iso);
    }
    if (!out.empty() && date_iso <= out.back().date) {
      return make_error(ErrorCode::kInvalidArgument, at + ".date: not after the previous draw's date");
    }
    const auto& time = item.value("time", nlohmann::json());
    const auto minutes_of_day = time.is_string() ? parse_hh_mm(time.get<std::string>()) : std::nullopt;
    if (!minutes_of_day) return make_error(ErrorCode::kInvalidArgument, at + ".time: must be HH:MM");
    if (item.contains("timezone") && item["timezone"] != "America/Bogota") {
      return make_error(ErrorCode::kInvalidArgument, at + ".timezone: only America/Bogota is supported");
    }
    out.push_back({date_iso, time.get<std::string>(), TimePoint(*day) - kBogotaOffset + minutes(*minutes_of_day)});
  }
  return out;
}

}  // namespace rifa::settlement
