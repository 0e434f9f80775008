#include <gtest/gtest.h>

#include "engine/iso_time.hpp"
#include "engine/rake.hpp"
#include "engine/validation.hpp"

namespace rifa::engine {
namespace {

TEST(Rake, ParsesDecimalStringsExactly) {
  EXPECT_EQ(*parse_rake("0.2500"), 2500);
  EXPECT_EQ(*parse_rake("0.25"), 2500);
  EXPECT_EQ(*parse_rake("0.0001"), 1);
  EXPECT_EQ(*parse_rake("0"), 0);
  EXPECT_EQ(*parse_rake("1"), 10000);
  EXPECT_EQ(*parse_rake("1.0000"), 10000);
  for (const char* bad : {"", "1.0001", "2", "0.25001", "-0.1", "+0.1", ".5", "0.", "2.5e-1", "0,25", " 0.1", "00.1"}) {
    auto r = parse_rake(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(field_of(r.error()), "rake") << bad;
  }
  EXPECT_EQ(format_rake(2500), "0.2500");
  EXPECT_EQ(format_rake(10000), "1.0000");
  EXPECT_EQ(format_rake(7), "0.0007");
}

TEST(IsoTime, ParsesDatesAndDateTimesWithOffsets) {
  EXPECT_EQ(format_iso_time(*parse_iso_time("2030-02-01", "f")), "2030-02-01T00:00:00.000Z");
  EXPECT_EQ(format_iso_time(*parse_iso_time("2030-02-01T10:20:30Z", "f")), "2030-02-01T10:20:30.000Z");
  EXPECT_EQ(format_iso_time(*parse_iso_time("2030-02-01T10:20:30.5Z", "f")), "2030-02-01T10:20:30.500Z");
  EXPECT_EQ(format_iso_time(*parse_iso_time("2030-02-01T10:20:30.123456Z", "f")), "2030-02-01T10:20:30.123Z");
  EXPECT_EQ(format_iso_time(*parse_iso_time("2030-02-01T19:00:00-05:00", "f")), "2030-02-02T00:00:00.000Z");
  EXPECT_EQ(format_iso_time(*parse_iso_time("2030-02-01T01:00:00+02:00", "f")), "2030-01-31T23:00:00.000Z");
  for (const char* bad : {"", "2030", "2030-02-30", "2030-13-01", "2030-02-01T25:00:00Z", "2030-02-01T10:20:30",
                          "2030-02-01 10:20:30Z", "2030-02-01T10:20:30.Z", "tomorrow", "2030-02-01T10:20:30+0500"}) {
    auto r = parse_iso_time(bad, "fecha_fin");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().message,
              "fecha_fin: must be an ISO-8601 date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM:SSZ)");
  }
}

TEST(Validation, FieldConvention) {
  EXPECT_EQ(field_of(invalid_field("plugin_instance", "nope")), "plugin_instance");
  EXPECT_EQ(field_of(make_error(ErrorCode::kNotFound, "rifa x does not exist")), "");
  EXPECT_EQ(field_of(make_error(ErrorCode::kNotFound, "Weird Key: x")), "");
  EXPECT_EQ(utf8_length("ñandú"), 5u);
  EXPECT_TRUE(is_valid_email("a.b+c@example.co"));
  EXPECT_FALSE(is_valid_email("a@example."));
  EXPECT_FALSE(is_valid_email("a@.example.com"));
  EXPECT_FALSE(is_valid_email("a@exa..mple.com"));
  EXPECT_FALSE(is_valid_email(std::string(250, 'a') + "@b.com"));
}

}  // namespace
}  // namespace rifa::engine
