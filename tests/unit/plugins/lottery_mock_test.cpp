// lottery_mock as the host sees it: the built library, loaded with dlopen, on a fake host.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "rifa/sdk/sha256.hpp"
#include "rifa/sdk/testing/fake_host.hpp"
#include "rifa/sdk/testing/plugin_harness.hpp"
#include "rifa/sdk/testing/shared_library.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;
using sdk::testing::FakeHost;
using sdk::testing::PluginHarness;
using sdk::testing::SharedLibrary;

// 2026-01-23T03:30:00Z is 2026-01-22 22:30 in Bogota (UTC-5): the draw of the 22nd is out.
constexpr int64_t kPublishedAt_2026_01_22 = 1769139000000;
constexpr int64_t kLateEnough = kPublishedAt_2026_01_22 + 7LL * 24 * 3600 * 1000;

class LotteryMockTest : public ::testing::Test {
 protected:
  LotteryMockTest() : library_(RIFA_PLUGIN_FILE), manifest_(library_.manifest()) {}

  std::unique_ptr<PluginHarness> make(const json& config, int64_t now_ms = kLateEnough) {
    host_.set_now_unix_ms(now_ms);
    auto harness = std::make_unique<PluginHarness>(manifest_, host_, "mock", config.dump());
    EXPECT_TRUE(harness->created()) << harness->create_outcome().error;
    return harness;
  }

  SharedLibrary library_;
  const rifa_plugin_manifest* manifest_;
  FakeHost host_;
};

TEST_F(LotteryMockTest, ManifestDescribesALotteryNamedMock) {
  EXPECT_EQ(manifest_->abi_major, RIFA_ABI_VERSION_MAJOR);
  EXPECT_EQ(manifest_->abi_minor, RIFA_ABI_VERSION_MINOR);
  EXPECT_EQ(manifest_->kind, RIFA_KIND_LOTTERY);
  EXPECT_STREQ(manifest_->name, "mock");
  EXPECT_STREQ(manifest_->version, "1.0.0");
  ASSERT_NE(manifest_->lottery, nullptr);
  EXPECT_EQ(manifest_->payment, nullptr);
  EXPECT_EQ(manifest_->notifier, nullptr);
  const json schema = json::parse(manifest_->config_schema_json);
  EXPECT_EQ(schema["additionalProperties"], false);
}

TEST_F(LotteryMockTest, SameDateAndSeedGiveTheSameDraw) {
  auto first = make({{"seed", "alpha"}});
  auto second = make({{"seed", "alpha"}});
  auto a = first->fetch_draw("2026-01-22");
  auto b = second->fetch_draw("2026-01-22");
  ASSERT_EQ(a.status, RIFA_OK) << a.error;
  EXPECT_EQ(a.result, b.result);

  const json draw = json::parse(a.result);
  EXPECT_EQ(draw["date"], "2026-01-22");
  EXPECT_EQ(draw["draw_number"], "2214");  // 2213 days after the default epoch 2020-01-01 (draw 1)
  EXPECT_EQ(draw["source_url"], "mock://draw/2026-01-22");
  const std::string number = draw["numbers"][0];
  const std::string series = draw["series"];
  EXPECT_EQ(number.size(), 4u);
  EXPECT_EQ(series.size(), 3u);
  EXPECT_EQ(number.find_first_not_of("0123456789"), std::string::npos);
  // raw_sha256 is the hash of the canonical page the draw was "read" from, and that page parses
  // back to the same result.
  const std::string page =
      "RIFA MOCK DRAW v1\ndate: 2026-01-22\ndraw_number: 2214\nnumber: " + number + "\nseries: " + series + "\n";
  EXPECT_EQ(draw["raw_sha256"], sdk::sha256_hex(page));
  auto parsed = first->parse_page("2026-01-22", "mock://draw/2026-01-22", page);
  ASSERT_EQ(parsed.status, RIFA_OK) << parsed.error;
  EXPECT_EQ(parsed.result, a.result);
}

TEST_F(LotteryMockTest, DifferentSeedGivesADifferentDraw) {
  auto alpha = make({{"seed", "alpha"}})->fetch_draw("2026-01-22");
  auto beta = make({{"seed", "beta"}})->fetch_draw("2026-01-22");
  ASSERT_EQ(alpha.status, RIFA_OK);
  ASSERT_EQ(beta.status, RIFA_OK);
  EXPECT_NE(json::parse(alpha.result)["numbers"], json::parse(beta.result)["numbers"]);
  EXPECT_EQ(json::parse(alpha.result)["draw_number"], json::parse(beta.result)["draw_number"]);
}

TEST_F(LotteryMockTest, NumbersKeepLeadingZerosAndHonourTheDigitCounts) {
  auto mock =
      make({{"number_digits", 6}, {"series_digits", 0}, {"draw_epoch", "2026-01-01"}, {"first_draw_number", 100}});
  int with_leading_zero = 0;
  for (int day = 1; day <= 28; ++day) {
    const std::string date = std::string("2026-01-") + (day < 10 ? "0" : "") + std::to_string(day);
    auto outcome = mock->fetch_draw(date);
    ASSERT_EQ(outcome.status, RIFA_OK) << date << ": " << outcome.error;
    const json draw = json::parse(outcome.result);
    const std::string number = draw["numbers"][0];
    EXPECT_EQ(number.size(), 6u) << number;
    EXPECT_FALSE(draw.contains("series"));
    EXPECT_EQ(draw["draw_number"], std::to_string(99 + day));
    if (number[0] == '0') ++with_leading_zero;
  }
  EXPECT_GT(with_leading_zero, 0) << "expected some of 28 draws to start with 0";
}

TEST_F(LotteryMockTest, DrawIsNotPublishedBefore2230BogotaOnTheHostClock) {
  auto mock = make(json::object(), kPublishedAt_2026_01_22 - 1000);
  auto early = mock->fetch_draw("2026-01-22");
  EXPECT_EQ(early.status, RIFA_NOT_PUBLISHED);
  EXPECT_EQ(early.error, "the draw of 2026-01-22 is published after 22:30 America/Bogota");
  EXPECT_EQ(early.result, "");

  host_.set_now_unix_ms(kPublishedAt_2026_01_22);
  auto on_time = mock->fetch_draw("2026-01-22");
  EXPECT_EQ(on_time.status, RIFA_OK) << on_time.error;
}

TEST_F(LotteryMockTest, PublishTimeIsConfigurable) {
  // 18:00 Bogota = 23:00 UTC the same day.
  constexpr int64_t k1800Bogota = kPublishedAt_2026_01_22 - 4LL * 3600 * 1000 - 30LL * 60 * 1000;
  auto mock = make({{"publish_after_local_time", "18:00"}}, k1800Bogota - 1);
  EXPECT_EQ(mock->fetch_draw("2026-01-22").status, RIFA_NOT_PUBLISHED);
  host_.set_now_unix_ms(k1800Bogota);
  EXPECT_EQ(mock->fetch_draw("2026-01-22").status, RIFA_OK);
  EXPECT_EQ(json::parse(mock->schedule().result)["time"], "18:00");
}

TEST_F(LotteryMockTest, ConfiguredDatesAreNeverPublished) {
  auto mock = make({{"not_published_dates", {"2026-01-20"}}});
  auto outcome = mock->fetch_draw("2026-01-20");
  EXPECT_EQ(outcome.status, RIFA_NOT_PUBLISHED);
  EXPECT_EQ(outcome.error, "the draw of 2026-01-20 is configured as not published");
  EXPECT_EQ(mock->fetch_draw("2026-01-21").status, RIFA_OK);
}

TEST_F(LotteryMockTest, ScriptedFetchesWalkTheListAndRepeatTheLastStep) {
  auto mock = make({{"scripted", {{"2026-01-22", {"not_published", "garbage", "wrong_date", "ok"}}}}});
  auto reference = make(json::object());

  auto first = mock->fetch_draw("2026-01-22");
  EXPECT_EQ(first.status, RIFA_NOT_PUBLISHED);
  EXPECT_EQ(first.error, "scripted: the draw of 2026-01-22 is not published");

  auto garbage = mock->fetch_draw("2026-01-22");
  ASSERT_EQ(garbage.status, RIFA_OK);
  EXPECT_EQ(json::parse(garbage.result),
            json::parse(R"({"date": "2026-01-22", "draw_number": "-7", "numbers": ["12a45"], "series": "7x",
                            "source_url": "mock://draw/2026-01-22", "raw_sha256": "not-a-sha256"})"));

  auto wrong = mock->fetch_draw("2026-01-22");
  ASSERT_EQ(wrong.status, RIFA_OK);
  EXPECT_EQ(wrong.result, reference->fetch_draw("2026-01-21").result);
  EXPECT_EQ(json::parse(wrong.result)["date"], "2026-01-21");

  const std::string expected = reference->fetch_draw("2026-01-22").result;
  EXPECT_EQ(mock->fetch_draw("2026-01-22").result, expected);
  EXPECT_EQ(mock->fetch_draw("2026-01-22").result, expected);  // the last step repeats
  // Other dates are not scripted.
  EXPECT_EQ(mock->fetch_draw("2026-01-21").result, reference->fetch_draw("2026-01-21").result);
}

TEST_F(LotteryMockTest, ScriptedOkIgnoresThePublishTime) {
  auto mock = make({{"scripted", {{"2026-01-22", {"ok"}}}}}, kPublishedAt_2026_01_22 - 3600 * 1000);
  EXPECT_EQ(mock->fetch_draw("2026-01-22").status, RIFA_OK);
}

TEST_F(LotteryMockTest, ParsePageRefusesWhatItCannotRead) {
  auto mock = make(json::object());
  auto html = mock->parse_page("2026-01-22", "https://example.invalid/", "<html><body>Mantenimiento</body></html>");
  EXPECT_EQ(html.status, RIFA_ERR_PARSE);
  EXPECT_EQ(html.error, "mock page: the first line is not 'RIFA MOCK DRAW v1'");

  auto missing = mock->parse_page("2026-01-22", "", "RIFA MOCK DRAW v1\ndate: 2026-01-22\nnumber: 0042\n");
  EXPECT_EQ(missing.status, RIFA_ERR_PARSE);
  EXPECT_EQ(missing.error, "mock page: no 'draw_number' line");

  auto letters = mock->parse_page("2026-01-22", "",
                                  "RIFA MOCK DRAW v1\ndate: 2026-01-22\ndraw_number: 1\nnumber: 00A2\nseries: 001\n");
  EXPECT_EQ(letters.status, RIFA_ERR_PARSE);
  EXPECT_EQ(letters.error, "mock page: 'number' is not a digit string: '00A2'");

  auto other_day = mock->parse_page("2026-01-22", "",
                                    "RIFA MOCK DRAW v1\ndate: 2026-01-21\ndraw_number: 1\nnumber: 0042\nseries: 001\n");
  EXPECT_EQ(other_day.status, RIFA_ERR_VALIDATION);
  EXPECT_EQ(other_day.error, "mock page: the page is for 2026-01-21, not 2026-01-22");

  auto short_number = mock->parse_page(
      "2026-01-22", "", "RIFA MOCK DRAW v1\ndate: 2026-01-22\ndraw_number: 1\nnumber: 042\nseries: 001\n");
  EXPECT_EQ(short_number.status, RIFA_ERR_VALIDATION);
  EXPECT_EQ(short_number.error, "mock page: number '042' should have 4 digits");

  auto pending = mock->parse_page("2026-01-22", "", "RIFA MOCK DRAW v1\nstatus: not_published\n");
  EXPECT_EQ(pending.status, RIFA_NOT_PUBLISHED);
  EXPECT_EQ(pending.error, "the page says the draw of 2026-01-22 is not published");
}

TEST_F(LotteryMockTest, MalformedDatesAndDatesBeforeTheEpochAreErrors) {
  auto mock = make(json::object());
  auto bad = mock->fetch_draw("2026-02-30");
  EXPECT_EQ(bad.status, RIFA_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(bad.error, "date must be a real date as YYYY-MM-DD, got '2026-02-30'");
  auto early = mock->fetch_draw("2019-12-31");
  EXPECT_EQ(early.status, RIFA_ERR_NOT_FOUND);
  EXPECT_EQ(early.error, "no mock draw before draw_epoch 2020-01-01");
}

TEST_F(LotteryMockTest, ScheduleIsDailyAtThePublishTime) {
  auto outcome = make(json::object())->schedule();
  ASSERT_EQ(outcome.status, RIFA_OK);
  EXPECT_EQ(json::parse(outcome.result), json::parse(R"({"timezone": "America/Bogota", "days": ["monday", "tuesday",
      "wednesday", "thursday", "friday", "saturday", "sunday"], "time": "22:30", "publish_delay_minutes": 0,
      "source": "synthetic"})"));
}

TEST_F(LotteryMockTest, ConfigTheSchemaCannotExpressIsRefusedAtCreate) {
  PluginHarness harness(manifest_, host_, "mock", R"({"scripted": {"22-01-2026": ["ok"]}})");
  EXPECT_FALSE(harness.created());
  EXPECT_EQ(harness.create_outcome().status, RIFA_ERR_CONFIG);
  EXPECT_EQ(harness.create_outcome().error,
            "every key of scripted must be a real date as YYYY-MM-DD, got '22-01-2026'");
}

}  // namespace
}  // namespace rifa::testing
