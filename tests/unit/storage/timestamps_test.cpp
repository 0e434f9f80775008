#include <gtest/gtest.h>

#include "storage/timestamps.hpp"

namespace rifa::storage {
namespace {

using namespace std::chrono;

TEST(Timestamps, FormatIsFixedWidthUtcWithMilliseconds) {
  const TimePoint t = sys_days(year(2025) / 3 / 1) + hours(18) + minutes(30) + seconds(5) + microseconds(123999);
  EXPECT_EQ(format_timestamp(t), "2025-03-01T18:30:05.123Z");
  EXPECT_EQ(format_timestamp(TimePoint(sys_days(year(1999) / 12 / 31))), "1999-12-31T00:00:00.000Z");
}

TEST(Timestamps, ParsesBothBackendsForms) {
  const TimePoint expected = sys_days(year(2025) / 3 / 1) + hours(18) + minutes(30) + milliseconds(123);
  auto sqlite = parse_timestamp("2025-03-01T18:30:00.123Z");
  ASSERT_TRUE(sqlite.ok());
  EXPECT_EQ(*sqlite, expected);
  auto pg = parse_timestamp("2025-03-01 18:30:00.123456+00");
  ASSERT_TRUE(pg.ok());
  EXPECT_EQ(*pg, expected);
  auto offset = parse_timestamp("2025-03-01 13:30:00.123-05:00");
  ASSERT_TRUE(offset.ok());
  EXPECT_EQ(*offset, expected);
  auto whole = parse_timestamp("2025-03-01 18:30:00+00");
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(format_timestamp(*whole), "2025-03-01T18:30:00.000Z");
}

TEST(Timestamps, RoundTrip) {
  const TimePoint t = sys_days(year(2024) / 2 / 29) + hours(23) + minutes(59) + seconds(59) + milliseconds(999);
  auto back = parse_timestamp(format_timestamp(t));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, t);
}

TEST(Timestamps, RejectsOtherText) {
  for (const char* bad : {"", "2025-03-01", "2025-03-01T18:30:00", "2025-02-30T00:00:00Z", "2025-03-01T18:30:00.Z",
                          "2025-03-01T18:30:00Zjunk", "yesterday"}) {
    auto r = parse_timestamp(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().message, std::string("'").append(bad).append("' is not an ISO-8601 timestamp"));
  }
}

}  // namespace
}  // namespace rifa::storage
