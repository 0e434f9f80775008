#pragma once

#include <chrono>

#include "rifa/lottery/date.hpp"

namespace rifa::lottery {

/// America/Bogota is UTC−5 all year (sdk::kBogotaUtcOffsetSeconds, rifa/sdk/time.hpp).
inline constexpr std::chrono::seconds kBogotaUtcOffset{sdk::kBogotaUtcOffsetSeconds};
inline constexpr const char* kBogotaTimeZone = sdk::kBogotaTimeZone;

/// The local (Bogotá) calendar date of an instant.
Date bogota_date_of(std::chrono::sys_seconds instant);

/// Minutes after local midnight of an instant, in Bogotá.
int bogota_minute_of_day(std::chrono::sys_seconds instant);

/// The instant of a Bogotá local date and time (minutes after midnight).
std::chrono::sys_seconds bogota_instant(const Date& date, int minute_of_day);

}  // namespace rifa::lottery
