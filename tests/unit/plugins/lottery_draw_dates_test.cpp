// draw_dates (ABI 1.1) of the real lottery plugins, each loaded as the built .so on a fake host:
// the calendar the host checks a rifa's draw date and instant with (issue 11, item 13).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "rifa/sdk/testing/fake_host.hpp"
#include "rifa/sdk/testing/plugin_harness.hpp"
#include "rifa/sdk/testing/shared_library.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;
using sdk::testing::FakeHost;
using sdk::testing::PluginHarness;
using sdk::testing::SharedLibrary;

struct Draws {
  rifa_status status = RIFA_ERR_INTERNAL;
  std::vector<std::string> dates;
  std::vector<std::string> times;
  std::string error;
};

Draws draw_dates(const char* library_file, const std::string& from, const std::string& to) {
  SharedLibrary library(library_file);
  FakeHost host;
  PluginHarness plugin(library.manifest(), host, "lottery");
  EXPECT_TRUE(plugin.created()) << plugin.create_outcome().error;
  auto outcome = plugin.draw_dates(from, to);
  Draws out{outcome.status, {}, {}, outcome.error};
  if (outcome.ok()) {
    for (const auto& draw : json::parse(outcome.result)) {
      EXPECT_EQ(draw.at("timezone"), "America/Bogota");
      out.dates.push_back(draw.at("date"));
      out.times.push_back(draw.at("time"));
    }
  }
  return out;
}

using Dates = std::vector<std::string>;

TEST(LotteryDrawDatesTest, BogotaMovesAHolidayThursdaysDrawToTheNextDay) {
  // Thursday 25 December 2025 is Christmas: the draw was held on Friday the 26th.
  auto christmas = draw_dates(RIFA_BOGOTA_PLUGIN_FILE, "2025-12-22", "2025-12-28");
  ASSERT_EQ(christmas.status, RIFA_OK) << christmas.error;
  EXPECT_EQ(christmas.dates, Dates{"2025-12-26"});
  EXPECT_EQ(christmas.times, Dates{"22:30"});
  // Holy Week 2027: Thursday 25 and Friday 26 March are holidays, Saturday the 27th draws.
  EXPECT_EQ(draw_dates(RIFA_BOGOTA_PLUGIN_FILE, "2027-03-22", "2027-04-01").dates, (Dates{"2027-03-27", "2027-04-01"}));
}

TEST(LotteryDrawDatesTest, BalotoHasMondaysOnlyFromJune2025) {
  auto may = draw_dates(RIFA_BALOTO_PLUGIN_FILE, "2025-05-25", "2025-06-04");
  ASSERT_EQ(may.status, RIFA_OK) << may.error;
  EXPECT_EQ(may.dates, (Dates{"2025-05-28", "2025-05-31", "2025-06-02", "2025-06-04"}));
  EXPECT_EQ(may.times[0], "23:00");
}

TEST(LotteryDrawDatesTest, ValleMovesAHolidayWednesdaysDraw) {
  // Wednesday 1 January 2025 is a holiday.
  auto new_year = draw_dates(RIFA_VALLE_PLUGIN_FILE, "2024-12-30", "2025-01-08");
  ASSERT_EQ(new_year.status, RIFA_OK) << new_year.error;
  EXPECT_EQ(new_year.dates, (Dates{"2025-01-02", "2025-01-08"}));
}

TEST(LotteryDrawDatesTest, MockDrawsDaily) {
  auto days = draw_dates(RIFA_MOCK_PLUGIN_FILE, "2026-01-30", "2026-02-01");
  ASSERT_EQ(days.status, RIFA_OK) << days.error;
  EXPECT_EQ(days.dates, (Dates{"2026-01-30", "2026-01-31", "2026-02-01"}));
  EXPECT_EQ(days.times[0], "22:30");
}

TEST(LotteryDrawDatesTest, BadRangesAreInvalidArguments) {
  for (const char* file : {RIFA_BOGOTA_PLUGIN_FILE, RIFA_MOCK_PLUGIN_FILE}) {
    auto reversed = draw_dates(file, "2026-02-01", "2026-01-01");
    EXPECT_EQ(reversed.status, RIFA_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(reversed.error, "to (2026-01-01) is before from (2026-02-01)");
    EXPECT_EQ(draw_dates(file, "2026-02-30", "2026-03-01").status, RIFA_ERR_INVALID_ARGUMENT);
    auto too_long = draw_dates(file, "2026-01-01", "2027-02-05");
    EXPECT_EQ(too_long.status, RIFA_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(too_long.error, "the range 2026-01-01..2027-02-05 is longer than 400 days");
  }
}

}  // namespace
}  // namespace rifa::testing
