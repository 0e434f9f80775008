#include "rifa/lottery/holidays.hpp"

#include <algorithm>
#include <map>
#include <mutex>

// The rules are the SDK's (rifa/sdk/time.hpp: festivos, Ley Emiliani, Easter-based days); this is
// the chrono view the schedules use, with a per-year cache.
namespace rifa::lottery {

Date easter_sunday(int year) { return from_civil(sdk::easter_sunday(year)); }

std::vector<Holiday> colombian_holidays(int year) {
  std::vector<Holiday> out;
  for (const auto& holiday : sdk::colombian_holidays(year)) out.push_back({from_civil(holiday.date), holiday.name});
  return out;
}

bool is_colombian_holiday(const Date& date) {
  // Schedules ask this for every day they walk over; cache each year's list.
  static std::mutex mutex;
  static std::map<int, std::vector<Holiday>> cache;
  const int year = static_cast<int>(date.year());
  std::lock_guard<std::mutex> lock(mutex);
  auto it = cache.find(year);
  if (it == cache.end()) it = cache.emplace(year, colombian_holidays(year)).first;
  return std::any_of(it->second.begin(), it->second.end(),
                     [&](const Holiday& holiday) { return holiday.date == date; });
}

}  // namespace rifa::lottery
