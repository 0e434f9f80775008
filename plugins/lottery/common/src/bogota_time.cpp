#include "rifa/lottery/bogota_time.hpp"

// Chrono views of the SDK's Bogotá helpers (rifa/sdk/time.hpp).
namespace rifa::lottery {

Date bogota_date_of(std::chrono::sys_seconds instant) {
  return from_civil(sdk::bogota_date_of(instant.time_since_epoch().count()));
}

int bogota_minute_of_day(std::chrono::sys_seconds instant) {
  return sdk::bogota_minute_of_day(instant.time_since_epoch().count());
}

std::chrono::sys_seconds bogota_instant(const Date& date, int minute_of_day) {
  return std::chrono::sys_seconds{std::chrono::seconds{sdk::bogota_instant(to_civil(date), minute_of_day)}};
}

}  // namespace rifa::lottery
