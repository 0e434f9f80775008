// The conformance kit and the recorded cases, on real plugins built for it (kit_lottery.cpp):
// probe dates come from the plugin's own schedule(), failures say what the plugin should have done,
// `--fixtures` runs only the library's cases, and a case answers the same however late it runs.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/lottery_cases.hpp"
#include "app/plugin_check.hpp"
#include "rifa/sdk/time.hpp"

namespace rifa::app {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kWellBehaved = fs::path(RIFA_KIT_PLUGIN_DIR) / "liblottery_kit_ok.so";
const fs::path kFetchesNothing = fs::path(RIFA_KIT_PLUGIN_DIR) / "liblottery_kit_lazy.so";

constexpr int64_t kDayMs = 86400000;
constexpr int64_t kYearMs = 365 * kDayMs;

int64_t system_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// 2026-01-22T17:00:00Z, a Thursday: the date the old kit asked every lottery for.
constexpr int64_t kThursdayNoon = 1769101200000;

struct Checked {
  int failures = 0;
  std::string output;
};

Checked check(const fs::path& library, std::optional<int64_t> now, std::optional<fs::path> fixtures = std::nullopt) {
  PluginCheckOptions options;
  options.library = library;
  options.now_unix_ms = now;
  options.fixtures_dir = std::move(fixtures);
  std::ostringstream out;
  Checked checked;
  checked.failures = run_plugin_check(options, out);
  checked.output = out.str();
  return checked;
}

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("plugin_kit_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

// A lottery that refuses dates off its schedule (Mondays and Wednesdays) passes; the old kit asked
// it for Thursday 2026-01-22 and failed it.
TEST(PluginKit, ALotteryThatRefusesOffScheduleDatesPasses) {
  for (int64_t now : {kThursdayNoon, system_now_ms()}) {
    const auto checked = check(kWellBehaved, now);
    EXPECT_EQ(checked.failures, 0) << checked.output;
    EXPECT_NE(checked.output.find("PASS  fetch_draw("), std::string::npos) << checked.output;
    EXPECT_NE(checked.output.find(") on a day without a draw: not_found after no HTTP request"), std::string::npos)
        << checked.output;
    EXPECT_NE(checked.output.find("with the source timing out: timeout after 1 HTTP request"), std::string::npos)
        << checked.output;
  }
}

// The probe dates follow the plugin's schedule: a Monday/Wednesday lottery is asked for a Monday or
// a Wednesday, and for a day that is neither.
TEST(PluginKit, ProbeDatesComeFromTheSchedule) {
  const auto checked = check(kWellBehaved, kThursdayNoon);
  // Two days back from Thursday 2026-01-22 is Tuesday the 20th; the latest Monday/Wednesday before
  // it, outside a holiday week (Reyes Magos moved to Monday 12 January), is Monday the 19th.
  EXPECT_NE(checked.output.find("fetch_draw(2026-01-19) with the source timing out"), std::string::npos)
      << checked.output;
  EXPECT_NE(checked.output.find("fetch_draw(2026-01-20) on a day without a draw"), std::string::npos) << checked.output;
}

TEST(PluginKit, ALotteryThatFetchesNothingAndAnswersOkFails) {
  const auto checked = check(kFetchesNothing, kThursdayNoon);
  EXPECT_GE(checked.failures, 2) << checked.output;
  EXPECT_NE(checked.output.find("FAIL  fetch_draw(2026-01-19) with the source timing out"), std::string::npos)
      << checked.output;
  EXPECT_NE(checked.output.find("It should read the draw from its source through host().http()"), std::string::npos)
      << checked.output;
  EXPECT_NE(checked.output.find("FAIL  fetch_draw(2026-01-20) on a day without a draw"), std::string::npos)
      << checked.output;
  EXPECT_NE(checked.output.find("it should answer not_found"), std::string::npos) << checked.output;
  EXPECT_NE(checked.output.find("FAILED"), std::string::npos) << checked.output;
}

void write_file(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file) << text;
}

// A case for another library is listed as skipped, not run against the library under check.
TEST(PluginKit, FixturesRunOnlyTheCasesOfTheLibraryUnderCheck) {
  TempDir dir;
  const json other = {{"library", "lottery_bogota"},
                      {"date", "2026-01-22"},
                      {"now", "2026-01-23T12:00:00.000Z"},
                      {"expected", {{"status", "ok"}}}};
  write_file(dir.path() / "bogota" / "normal" / "case.json", other.dump());
  const json mine = {{"library", "lottery_kit_ok"},
                     {"date", "2026-01-19"},
                     {"now", "2026-01-19T17:00:00.000Z"},
                     {"expected", {{"status", "not_published"}}}};
  write_file(dir.path() / "kit" / "before-the-draw" / "case.json", mine.dump());
  const auto checked = check(kWellBehaved, kThursdayNoon, dir.path());
  EXPECT_EQ(checked.failures, 0) << checked.output;
  EXPECT_NE(checked.output.find("bogota/normal        SKIP     for library lottery_bogota, not liblottery_kit_ok.so"),
            std::string::npos)
      << checked.output;
  EXPECT_NE(checked.output.find("kit/before-the-draw  PASS"), std::string::npos) << checked.output;
  EXPECT_NE(checked.output.find("1 passed, 0 failed, 1 skipped (other libraries)"), std::string::npos)
      << checked.output;
}

// Answers every request with the results page of the date in its URL.
class PageTransport final : public plugin_runtime::HttpTransport {
 public:
  Result<plugin_runtime::HttpResponse> perform(const plugin_runtime::HttpRequest& request) override {
    plugin_runtime::HttpResponse response;
    response.status = 200;
    response.effective_url = request.url;
    response.headers = "content-type: text/plain\n";
    response.body = "sorteo del dia\nnumero: 4521\n";
    return response;
  }
};

// Records a case "yesterday" (the plugin's clock frozen then), then replays it with the host's clock
// a year later: the answer is the same, because the case carries its "now".
void expect_same_answer_a_year_later(int minute_of_day, const std::string& want_status) {
  TempDir dir;
  const sdk::CivilDate yesterday = sdk::add_days(sdk::bogota_date_of_ms(system_now_ms()), -1);
  RecordRequest request;
  request.dir = dir.path() / "kit" / "yesterday";
  request.instance_id = "kit";
  request.library = "lottery_kit_ok";
  request.library_path = kWellBehaved;
  request.config = {{"days", {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}}};
  request.date = sdk::format_iso(yesterday);
  request.now_unix_ms = sdk::bogota_instant_ms(yesterday, minute_of_day);
  request.live = std::make_shared<PageTransport>();
  auto recorded = record_lottery_case(request);
  ASSERT_TRUE(recorded) << recorded.error().message;
  EXPECT_EQ((*recorded)["now"], format_case_now(request.now_unix_ms));
  EXPECT_EQ((*recorded)["expected"]["status"], want_status) << recorded->dump();

  auto cases = find_lottery_cases(dir.path());
  ASSERT_TRUE(cases) << cases.error().message;
  ASSERT_EQ(cases->size(), 1u);
  EXPECT_EQ(cases->front().now_unix_ms, request.now_unix_ms);
  CaseRunOptions run;
  run.search_path = {RIFA_KIT_PLUGIN_DIR};
  for (int64_t later : {int64_t{0}, kYearMs}) {
    run.real_clock_ms = [later] { return system_now_ms() + later; };
    const auto outcome = run_lottery_case(cases->front(), run);
    EXPECT_TRUE(outcome.passed) << "clock moved " << later / kDayMs << " days: " << outcome.got << " / "
                                << outcome.detail;
  }

  // The same case without "now" runs on the host's clock: a year later it no longer answers the
  // same when the answer depended on the time (this is what "now" prevents).
  LotteryCase unfrozen = cases->front();
  unfrozen.now_unix_ms.reset();
  run.real_clock_ms = [] { return system_now_ms() + kYearMs; };
  const auto drifted = run_lottery_case(unfrozen, run);
  if (want_status == "not_published") {
    EXPECT_FALSE(drifted.passed) << "without now the case should drift: " << drifted.got;
  }
}

TEST(RecordedCases, ACaseTakenBeforeTheDrawAnswersTheSameAYearLater) {
  expect_same_answer_a_year_later(12 * 60, "not_published");  // yesterday at noon: before 22:30 + 60 min
}

TEST(RecordedCases, ACaseTakenAfterTheDrawAnswersTheSameAYearLater) {
  expect_same_answer_a_year_later(23 * 60 + 45, "ok");  // yesterday 23:45: published
}

TEST(RecordedCases, CaseNamesLibrary) {
  EXPECT_TRUE(case_names_library("lottery_bogota", "/x/build/plugins/liblottery_bogota.so"));
  EXPECT_TRUE(case_names_library("liblottery_bogota.so", "/x/liblottery_bogota.so"));
  EXPECT_TRUE(case_names_library("/y/liblottery_bogota.so", "/x/liblottery_bogota.so"));
  EXPECT_FALSE(case_names_library("lottery_valle", "/x/liblottery_bogota.so"));
}

TEST(RecordedCases, NowMustBeAnInstant) {
  TempDir dir;
  write_file(
      dir.path() / "a" / "case.json",
      json{{"library", "x"}, {"date", "2026-01-22"}, {"now", "yesterday"}, {"expected", {{"status", "ok"}}}}.dump());
  auto cases = find_lottery_cases(dir.path());
  ASSERT_FALSE(cases);
  EXPECT_NE(cases.error().message.find("now"), std::string::npos) << cases.error().message;
}

}  // namespace
}  // namespace rifa::app
