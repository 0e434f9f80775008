#pragma once

#include <string>
#include <vector>

#include "rifa/lottery/date.hpp"

namespace rifa::lottery {

/// One Colombian public holiday as observed (after any move to Monday).
struct Holiday {
  Date date;
  std::string name;
};

/// Easter Sunday (Gregorian computus, the "anonymous" algorithm).
Date easter_sunday(int year);

/// Every national holiday of `year` as observed, sorted by date. Computed, not tabulated:
/// fixed days (1 Jan, 1 May, 20 Jul, 7 Aug, 8 Dec, 25 Dec), Holy Thursday and Good Friday, and the
/// days that Ley 51 de 1983 (Ley Emiliani) moves to the following Monday when they do not fall
/// on one (6 Jan, 19 Mar, 29 Jun, 15 Aug, 12 Oct, 1 Nov, 11 Nov, and Ascension, Corpus Christi
/// and Sacred Heart, counted from Easter).
std::vector<Holiday> colombian_holidays(int year);

/// True when `date` is an observed national holiday in Colombia.
bool is_colombian_holiday(const Date& date);

}  // namespace rifa::lottery
