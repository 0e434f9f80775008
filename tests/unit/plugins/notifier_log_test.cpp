// notifier_log as the host sees it: the built library, loaded with dlopen, on a fake host.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "rifa/sdk/testing/fake_host.hpp"
#include "rifa/sdk/testing/plugin_harness.hpp"
#include "rifa/sdk/testing/shared_library.hpp"

namespace rifa::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using sdk::testing::FakeHost;
using sdk::testing::PluginHarness;
using sdk::testing::SharedLibrary;

json event(const std::string& id, const std::string& type) {
  return {{"event_id", id},
          {"type", type},
          {"occurred_at", "2026-01-22T23:00:00Z"},
          {"rifa_id", "5b1c7d2e-0000-4000-8000-000000000001"},
          {"data", {{"numero", "42"}}}};
}

std::vector<std::string> read_lines(const fs::path& file) {
  std::vector<std::string> lines;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

class NotifierLogTest : public ::testing::Test {
 protected:
  NotifierLogTest() : library_(RIFA_PLUGIN_FILE), manifest_(library_.manifest()) {
    dir_ = fs::temp_directory_path() / ("rifa-log-notifier-test-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  ~NotifierLogTest() override { fs::remove_all(dir_); }

  std::unique_ptr<PluginHarness> make(const json& config) {
    auto harness = std::make_unique<PluginHarness>(manifest_, host_, "log", config.dump());
    EXPECT_TRUE(harness->created()) << harness->create_outcome().error;
    return harness;
  }

  SharedLibrary library_;
  const rifa_plugin_manifest* manifest_;
  FakeHost host_;
  fs::path dir_;
};

TEST_F(NotifierLogTest, DeliverLogsAtInfoAndAppendsOneJsonLinePerEvent) {
  const fs::path file = dir_ / "events.jsonl";
  auto log = make({{"path", file.string()}});
  const json winner = event("evt-1", "winner");
  const json sold = event("evt-2", "ticket_sold");
  ASSERT_EQ(log->deliver(winner.dump()).status, RIFA_OK);
  ASSERT_EQ(log->deliver(sold.dump()).status, RIFA_OK);

  EXPECT_EQ(read_lines(file), (std::vector<std::string>{winner.dump(), sold.dump()}));
  EXPECT_TRUE(host_.logged(RIFA_LOG_INFO, "event winner evt-1: " + winner.dump()));
  EXPECT_TRUE(host_.logged(RIFA_LOG_INFO, "event ticket_sold evt-2: " + sold.dump()));
}

TEST_F(NotifierLogTest, RepeatedEventsAreAcceptedAndWrittenOnce) {
  const fs::path file = dir_ / "events.jsonl";
  auto log = make({{"path", file.string()}});
  const json payout = event("evt-7", "payout_sent");
  EXPECT_EQ(log->deliver(payout.dump()).status, RIFA_OK);
  EXPECT_EQ(log->deliver(payout.dump()).status, RIFA_OK);
  EXPECT_EQ(read_lines(file).size(), 1u);
}

TEST_F(NotifierLogTest, WithoutAPathOnlyTheHostLogIsWritten) {
  auto log = make(json::object());
  EXPECT_EQ(log->deliver(event("evt-3", "rifa_opened").dump()).status, RIFA_OK);
  EXPECT_TRUE(host_.logged(RIFA_LOG_INFO, "event rifa_opened evt-3: "));
  EXPECT_TRUE(fs::is_empty(dir_));
}

TEST_F(NotifierLogTest, FailTypesFailWithATransportErrorAndWriteNothing) {
  const fs::path file = dir_ / "events.jsonl";
  auto log = make({{"path", file.string()}, {"fail_types", {"winner"}}});
  auto failed = log->deliver(event("evt-4", "winner").dump());
  EXPECT_EQ(failed.status, RIFA_ERR_TRANSPORT);
  EXPECT_EQ(failed.error, "delivery of 'winner' events is configured to fail (fail_types)");
  EXPECT_FALSE(fs::exists(file));
  EXPECT_EQ(log->deliver(event("evt-5", "rifa_closed").dump()).status, RIFA_OK);
  EXPECT_EQ(read_lines(file).size(), 1u);
}

TEST_F(NotifierLogTest, MalformedEventsAndUnwritableFilesAreErrors) {
  auto log = make({{"path", (dir_ / "missing-dir" / "events.jsonl").string()}});
  auto not_json = log->deliver("{oops");
  EXPECT_EQ(not_json.status, RIFA_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(not_json.error.rfind("the event is not valid JSON (", 0), 0u) << not_json.error;
  auto no_type = log->deliver(R"({"event_id": "evt-6"})");
  EXPECT_EQ(no_type.status, RIFA_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(no_type.error, "the event has no string 'type'");
  auto unwritable = log->deliver(event("evt-8", "winner").dump());
  EXPECT_EQ(unwritable.status, RIFA_ERR_TRANSPORT);
  EXPECT_EQ(unwritable.error,
            "cannot append to " + (dir_ / "missing-dir" / "events.jsonl").string() + ": No such file or directory");
}

}  // namespace
}  // namespace rifa::testing
