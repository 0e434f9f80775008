#include "rifa/lottery/bogota_time.hpp"

namespace rifa::lottery {

Date bogota_date_of(std::chrono::sys_seconds instant) {
  return Date{std::chrono::floor<std::chrono::days>(instant + kBogotaUtcOffset)};
}

int bogota_minute_of_day(std::chrono::sys_seconds instant) {
  const auto local = instant + kBogotaUtcOffset;
  const auto since_midnight = local - std::chrono::floor<std::chrono::days>(local);
  return static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(since_midnight).count());
}

std::chrono::sys_seconds bogota_instant(const Date& date, int minute_of_day) {
  return std::chrono::sys_seconds{to_days(date)} + std::chrono::minutes{minute_of_day} -
         kBogotaUtcOffset;
}

}  // namespace rifa::lottery
