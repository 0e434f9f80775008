#include "rifa/sdk/time.hpp"

#include <gtest/gtest.h>

namespace rifa::sdk {
namespace {

TEST(SdkTime, IsoDatesRoundTripAndRefuseWhatIsNotADate) {
  const auto date = parse_iso_date("2026-01-22");
  ASSERT_TRUE(date);
  EXPECT_EQ(date->year, 2026);
  EXPECT_EQ(date->month, 1u);
  EXPECT_EQ(date->day, 22u);
  EXPECT_EQ(format_iso(*date), "2026-01-22");
  EXPECT_TRUE(parse_iso_date("2024-02-29"));
  for (const char* bad : {"2026-02-29", "2026-13-01", "2026-04-31", "2026-00-10", "2026-1-22", "2026/01/22",
                          "22-01-2026", "2026-01-2x", "", "2026-01-220"}) {
    EXPECT_FALSE(parse_iso_date(bad)) << bad;
  }
}

TEST(SdkTime, DayArithmeticCrossesMonthsYearsAndTheEpoch) {
  EXPECT_EQ(to_days(CivilDate{1970, 1, 1}), 0);
  EXPECT_EQ(to_days(CivilDate{1969, 12, 31}), -1);
  EXPECT_EQ(format_iso(add_days(CivilDate{2025, 12, 31}, 1)), "2026-01-01");
  EXPECT_EQ(format_iso(add_days(CivilDate{2024, 3, 1}, -1)), "2024-02-29");
  EXPECT_EQ(format_iso(civil_from_days(to_days(CivilDate{2099, 1, 7}))), "2099-01-07");
  EXPECT_TRUE(CivilDate({2026, 1, 22}) < CivilDate({2026, 1, 23}));
  EXPECT_EQ(days_in_month(2100, 2), 28u);
  EXPECT_EQ(days_in_month(2000, 2), 29u);
}

TEST(SdkTime, Weekdays) {
  EXPECT_EQ(weekday_of(CivilDate{2026, 1, 22}), Weekday::kThursday);
  EXPECT_EQ(weekday_of(CivilDate{1970, 1, 1}), Weekday::kThursday);
  EXPECT_EQ(weekday_of(CivilDate{1969, 12, 28}), Weekday::kSunday);
  EXPECT_EQ(weekday_of(CivilDate{2025, 6, 2}), Weekday::kMonday);
  EXPECT_STREQ(english_name(Weekday::kWednesday), "wednesday");
  EXPECT_STREQ(spanish_name(Weekday::kWednesday), "miércoles");
  EXPECT_STREQ(spanish_name(Weekday::kSaturday), "sábado");
  EXPECT_EQ(parse_english_weekday("Thursday"), Weekday::kThursday);
  EXPECT_FALSE(parse_english_weekday("jueves"));
}

TEST(SdkTime, HoursAndMinutes) {
  EXPECT_EQ(parse_hh_mm("22:30"), 22 * 60 + 30);
  EXPECT_EQ(parse_hh_mm("00:00"), 0);
  EXPECT_FALSE(parse_hh_mm("24:00"));
  EXPECT_FALSE(parse_hh_mm("22:60"));
  EXPECT_FALSE(parse_hh_mm("2230"));
  EXPECT_EQ(format_hh_mm(22 * 60 + 30), "22:30");
  EXPECT_EQ(format_hh_mm(5), "00:05");
}

TEST(SdkTime, BogotaIsUtcMinusFiveAllYear) {
  // 2026-01-23T03:00:00Z is 22:00 on the 22nd in Bogotá.
  const int64_t instant = 1769137200;
  EXPECT_EQ(format_iso(bogota_date_of(instant)), "2026-01-22");
  EXPECT_EQ(bogota_minute_of_day(instant), 22 * 60);
  EXPECT_EQ(bogota_instant(CivilDate{2026, 1, 22}, 22 * 60), instant);
  EXPECT_EQ(bogota_instant_ms(CivilDate{2026, 1, 22}, 22 * 60), instant * 1000);
  EXPECT_EQ(format_iso(bogota_date_of_ms(instant * 1000 + 2 * 3600 * 1000)), "2026-01-23");  // 00:00 Bogotá
  EXPECT_EQ(format_iso(bogota_date_of_ms(instant * 1000 + 2 * 3600 * 1000 - 1)), "2026-01-22");
  // Mid-year: no daylight saving time.
  EXPECT_EQ(bogota_instant(CivilDate{2026, 7, 1}, 0) - to_days(CivilDate{2026, 7, 1}) * 86400, 5 * 3600);
  // Before the epoch, too.
  EXPECT_EQ(format_iso(bogota_date_of(0)), "1969-12-31");
  EXPECT_EQ(bogota_minute_of_day(0), 19 * 60);
}

TEST(SdkTime, Easter) {
  EXPECT_EQ(format_iso(easter_sunday(2024)), "2024-03-31");
  EXPECT_EQ(format_iso(easter_sunday(2025)), "2025-04-20");
  EXPECT_EQ(format_iso(easter_sunday(2026)), "2026-04-05");
  EXPECT_EQ(format_iso(easter_sunday(2038)), "2038-04-25");
}

// The official list of 2025 (decreto: 18 festivos, San Pedro and Sagrado Corazón both on June 30).
TEST(SdkTime, ColombianHolidaysOf2025) {
  std::vector<std::string> got;
  for (const auto& holiday : colombian_holidays(2025)) got.push_back(format_iso(holiday.date) + " " + holiday.name);
  const std::vector<std::string> want = {"2025-01-01 Año Nuevo",
                                         "2025-01-06 Reyes Magos",
                                         "2025-03-24 San José",
                                         "2025-04-17 Jueves Santo",
                                         "2025-04-18 Viernes Santo",
                                         "2025-05-01 Día del Trabajo",
                                         "2025-06-02 Ascensión del Señor",
                                         "2025-06-23 Corpus Christi",
                                         "2025-06-30 San Pedro y San Pablo",
                                         "2025-06-30 Sagrado Corazón",
                                         "2025-07-20 Día de la Independencia",
                                         "2025-08-07 Batalla de Boyacá",
                                         "2025-08-18 Asunción de la Virgen",
                                         "2025-10-13 Día de la Raza",
                                         "2025-11-03 Todos los Santos",
                                         "2025-11-17 Independencia de Cartagena",
                                         "2025-12-08 Inmaculada Concepción",
                                         "2025-12-25 Navidad"};
  EXPECT_EQ(got, want);
}

TEST(SdkTime, LeyEmilianiMovesToTheFollowingMondayOnly) {
  // 6 January 2026 is a Tuesday: observed Monday the 12th, and the 6th is a working day.
  EXPECT_TRUE(is_colombian_holiday(CivilDate{2026, 1, 12}));
  EXPECT_FALSE(is_colombian_holiday(CivilDate{2026, 1, 6}));
  const auto reyes = colombian_holiday_on(CivilDate{2026, 1, 12});
  ASSERT_TRUE(reyes);
  EXPECT_EQ(format_iso(reyes->nominal), "2026-01-06");
  // A movable day that falls on a Monday stays (15 August 2022 was a Monday).
  EXPECT_TRUE(is_colombian_holiday(CivilDate{2022, 8, 15}));
  // Fixed days never move: 20 July 2025 was a Sunday and stays there.
  EXPECT_TRUE(is_colombian_holiday(CivilDate{2025, 7, 20}));
  EXPECT_FALSE(is_colombian_holiday(CivilDate{2025, 7, 21}));
  EXPECT_EQ(format_iso(next_monday_or_same(CivilDate{2026, 1, 22})), "2026-01-26");
  EXPECT_EQ(format_iso(next_monday_or_same(CivilDate{2026, 1, 26})), "2026-01-26");
}

TEST(SdkTime, EasterBasedDays) {
  // 2026: Easter 5 April → Jueves/Viernes Santo 2–3 April; Ascensión +39 (Thu 14 May) → Mon 18 May;
  // Corpus +60 (Thu 4 June) → Mon 8 June; Sagrado Corazón +68 (Fri 12 June) → Mon 15 June.
  for (const char* day : {"2026-04-02", "2026-04-03", "2026-05-18", "2026-06-08", "2026-06-15"}) {
    EXPECT_TRUE(is_colombian_holiday(*parse_iso_date(day))) << day;
  }
  EXPECT_FALSE(is_colombian_holiday(CivilDate{2026, 4, 5}));  // Easter Sunday itself is not a festivo
  EXPECT_FALSE(is_colombian_holiday(CivilDate{2026, 5, 14}));
}

}  // namespace
}  // namespace rifa::sdk
