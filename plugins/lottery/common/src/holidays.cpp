#include "rifa/lottery/holidays.hpp"

#include <algorithm>
#include <map>
#include <mutex>

namespace rifa::lottery {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

Date next_monday_or_same(const Date& date) {
  const auto weekday = weekday_of(date);
  const int ahead = (8 - static_cast<int>(weekday.c_encoding())) % 7;  // Monday = 1
  return add_days(date, ahead);
}

Date make(int year, unsigned month, unsigned day) {
  return Date{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
}

}  // namespace

Date easter_sunday(int year) {
  const int a = year % 19;
  const int b = year / 100;
  const int c = year % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = ((h + l - 7 * m + 114) % 31) + 1;
  return make(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

std::vector<Holiday> colombian_holidays(int year) {
  std::vector<Holiday> out = {
      {make(year, 1, 1), "Año Nuevo"},
      {make(year, 5, 1), "Día del Trabajo"},
      {make(year, 7, 20), "Día de la Independencia"},
      {make(year, 8, 7), "Batalla de Boyacá"},
      {make(year, 12, 8), "Inmaculada Concepción"},
      {make(year, 12, 25), "Navidad"},
  };
  const Date easter = easter_sunday(year);
  out.push_back({add_days(easter, -3), "Jueves Santo"});
  out.push_back({add_days(easter, -2), "Viernes Santo"});
  const struct {
    unsigned month;
    unsigned day;
    const char* name;
  } kMovable[] = {
      {1, 6, "Reyes Magos"},           {3, 19, "San José"},
      {6, 29, "San Pedro y San Pablo"}, {8, 15, "Asunción de la Virgen"},
      {10, 12, "Día de la Raza"},       {11, 1, "Todos los Santos"},
      {11, 11, "Independencia de Cartagena"},
  };
  for (const auto& holiday : kMovable) {
    out.push_back({next_monday_or_same(make(year, holiday.month, holiday.day)), holiday.name});
  }
  // Ascension (+39), Corpus Christi (+60) and Sacred Heart (+68) fall on Thursday/Thursday/Friday
  // and are observed on the following Monday.
  out.push_back({next_monday_or_same(add_days(easter, 39)), "Ascensión del Señor"});
  out.push_back({next_monday_or_same(add_days(easter, 60)), "Corpus Christi"});
  out.push_back({next_monday_or_same(add_days(easter, 68)), "Sagrado Corazón"});
  std::sort(out.begin(), out.end(),
            [](const Holiday& a, const Holiday& b) { return to_days(a.date) < to_days(b.date); });
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
