// The calendar rules of issue 15 (engine/player_rules): ages and periods on the Bogotá calendar.
#include <gtest/gtest.h>

#include "engine/iso_time.hpp"
#include "engine/player_rules.hpp"

namespace rifa::engine {
namespace {

TimePoint t(const char* iso) { return *parse_iso_time(iso, "t"); }

TEST(PlayerRules, BogotaDateIsFiveHoursBehindUtc) {
  EXPECT_EQ(format_civil_date(bogota_date(t("2029-03-15T04:59:59Z"))), "2029-03-14");
  EXPECT_EQ(format_civil_date(bogota_date(t("2029-03-15T05:00:00Z"))), "2029-03-15");
}

TEST(PlayerRules, AgeTurnsOnTheBirthday) {
  EXPECT_EQ(age_on({2011, 3, 15}, {2029, 3, 14}), 17);
  EXPECT_EQ(age_on({2011, 3, 15}, {2029, 3, 15}), 18);
  // 29 February: 18 on 1 March of a common year.
  EXPECT_EQ(age_on({2008, 2, 29}, {2026, 2, 28}), 17);
  EXPECT_EQ(age_on({2008, 2, 29}, {2026, 3, 1}), 18);
  EXPECT_FALSE(check_birth_date("2011-03-15", t("2029-03-15T04:00:00Z")).ok());
  EXPECT_TRUE(check_birth_date("2011-03-15", t("2029-03-15T05:00:00Z")).ok());
  EXPECT_FALSE(check_birth_date("2011-02-30", t("2029-03-15T05:00:00Z")).ok());
  EXPECT_FALSE(check_birth_date("15/03/2011", t("2029-03-15T05:00:00Z")).ok());
}

TEST(PlayerRules, Documents) {
  EXPECT_EQ(*check_document("CC", "1.020.304.050"), "1020304050");
  EXPECT_EQ(check_document("CC", "12345678901").error().field, "documento_numero");
  EXPECT_EQ(*check_document("PP", "ab123456"), "AB123456");
  EXPECT_EQ(check_document("TI", "1020304050").error().field, "documento_tipo");
  EXPECT_EQ(check_document("RC", "1020304050").error().field, "documento_tipo");
}

// A player's own TI: accepted from an adult (the age on today's Bogotá date), never without the
// birth date; other types as check_document.
TEST(PlayerRules, APlayersTarjetaDeIdentidadIsAcceptedFromEighteen) {
  const auto now = t("2029-03-15T04:00:00Z");  // 14 March in Bogotá
  const CivilDate adult{2011, 3, 14}, minor{2011, 3, 15};
  EXPECT_EQ(*check_player_document("TI", "1.020.304.050", adult, now), "1020304050");
  EXPECT_EQ(check_player_document("TI", "1020304050", minor, now).error().field, "documento_tipo");
  EXPECT_TRUE(check_player_document("TI", "1020304050", minor, t("2029-03-15T05:00:00Z")).ok());  // the birthday
  EXPECT_EQ(check_player_document("TI", "1020304050", std::nullopt, now).error().field, "documento_tipo");
  EXPECT_EQ(check_player_document("TI", "123456789", adult, now).error().field, "documento_numero");
  EXPECT_EQ(*check_player_document("CC", "1.020.304.050", std::nullopt, now), "1020304050");
  EXPECT_EQ(check_player_document("RC", "1020304050", adult, now).error().field, "documento_tipo");
}

TEST(PlayerRules, WindowsStartAtBogotaMidnightMondayAndTheFirst) {
  // Wednesday 13 June 2029, 10:00 in Bogotá.
  const auto w = spending_windows(t("2029-06-13T15:00:00Z"));
  EXPECT_EQ(format_iso_time(w.day), "2029-06-13T05:00:00.000Z");
  EXPECT_EQ(format_iso_time(w.week), "2029-06-11T05:00:00.000Z");
  EXPECT_EQ(format_iso_time(w.month), "2029-06-01T05:00:00.000Z");
  // Sunday 23:30 in Bogotá is still last week; Monday 00:00 starts a new one.
  EXPECT_EQ(format_iso_time(spending_windows(t("2029-06-18T04:30:00Z")).week), "2029-06-11T05:00:00.000Z");
  EXPECT_EQ(format_iso_time(spending_windows(t("2029-06-18T05:00:00Z")).week), "2029-06-18T05:00:00.000Z");
}

TEST(PlayerRules, ExclusionEndsAndLimits) {
  EXPECT_EQ(format_iso_time(*exclusion_end("6m", t("2029-08-31T15:00:00Z"))), "2030-02-28T15:00:00.000Z");
  EXPECT_FALSE(exclusion_end("indefinida", t("2029-08-31T15:00:00Z")));
  SpendingLimits l;
  l.semanal = 10000;
  EXPECT_TRUE(check_limits(l, Spent{0, 10000, 10000}, 5000).ok());
  auto over = check_limits(l, Spent{0, 10001, 10001}, 5000);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(over.error().field, "limites.semanal");
  EXPECT_NE(over.error().message.find("4999 remaining"), std::string::npos) << over.error().message;
}

}  // namespace
}  // namespace rifa::engine
