// A plugin written in plain C99 (c_notifier_plugin.c) loads and works through the same harness
// the host-side tests use.
#include <gtest/gtest.h>

#include <cstddef>
#include <string>

#include "rifa/sdk/testing/fake_host.hpp"
#include "rifa/sdk/testing/plugin_harness.hpp"
#include "rifa/sdk/testing/shared_library.hpp"

namespace rifa::testing {
namespace {

using sdk::testing::FakeHost;
using sdk::testing::PluginHarness;
using sdk::testing::SharedLibrary;

TEST(CPlugin, LoadsAndDelivers) {
  SharedLibrary library(RIFA_C_PLUGIN_FILE);
  const rifa_plugin_manifest* manifest = library.manifest();
  EXPECT_EQ(manifest->kind, RIFA_KIND_NOTIFIER);
  EXPECT_STREQ(manifest->name, "c_notifier");
  EXPECT_EQ(manifest->flags, static_cast<uint32_t>(RIFA_PLUGIN_FLAG_SERIALIZED));

  FakeHost host;
  PluginHarness notifier(manifest, host, "c");
  ASSERT_TRUE(notifier.created()) << notifier.create_outcome().error;
  auto first = notifier.deliver(R"({"event_id": "e1", "type": "winner"})");
  EXPECT_EQ(first.status, RIFA_OK);
  EXPECT_EQ(first.result, R"({"delivered": 1})");
  EXPECT_EQ(notifier.deliver(R"({"event_id": "e2", "type": "winner"})").result, R"({"delivered": 2})");
  EXPECT_TRUE(host.logged(RIFA_LOG_INFO, R"({"event_id": "e2", "type": "winner"})"));

  auto empty = notifier.deliver("");
  EXPECT_EQ(empty.status, RIFA_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(empty.error, "c notifier: empty event");
}

TEST(CPlugin, RefusesAConfigWithAMessage) {
  SharedLibrary library(RIFA_C_PLUGIN_FILE);
  FakeHost host;
  PluginHarness notifier(library.manifest(), host, "c", R"({"refuse": true})");
  EXPECT_FALSE(notifier.created());
  EXPECT_EQ(notifier.create_outcome().status, RIFA_ERR_CONFIG);
  EXPECT_EQ(notifier.create_outcome().error, "c notifier: config asks to be refused");
}

// The growth rule on the SDK's side: PluginHarness reads a plugin's structs as the host does and
// FakeHost fills a 1.0-sized HTTP response, so a plugin built against ABI 1.0 (c_lottery_v10_plugin.c)
// works and its missing draw_dates is absent, not read past the vtable.
TEST(CPlugin, A10LotteryWorksThroughTheSdkHarness) {
  SharedLibrary library(std::string(RIFA_ABI_PLUGIN_DIR) + "/libabi_c_lottery_v10" + RIFA_ABI_PLUGIN_SUFFIX);
  const rifa_plugin_manifest* manifest = library.manifest();
  EXPECT_EQ(manifest->abi_minor, 0);
  FakeHost host;
  host.respond("https://lottery.test/results", 200, "numero 0042");
  PluginHarness lottery(manifest, host, "old", R"({"url":"https://lottery.test/results"})");
  ASSERT_TRUE(lottery.created()) << lottery.create_outcome().error;
  auto draw = lottery.fetch_draw("2026-01-22");
  EXPECT_EQ(draw.status, RIFA_OK) << draw.error;
  EXPECT_EQ(draw.result, R"({"date": "2026-01-22", "status": 200, "body": "numero 0042"})");
  EXPECT_EQ(lottery.schedule().status, RIFA_OK);
  auto dates = lottery.draw_dates("2026-01-01", "2026-01-31");
  EXPECT_EQ(dates.status, RIFA_ERR_UNSUPPORTED);
  EXPECT_EQ(dates.error, "the manifest has no lottery draw_dates");

  auto short_response = lottery.fetch_draw("short-response");
  EXPECT_EQ(short_response.status, RIFA_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(short_response.error, "http_request: rifa_http_response struct_size " +
                                      std::to_string(offsetof(rifa_http_response, host_private)) +
                                      " is smaller than ABI 1.0's rifa_http_response (" +
                                      std::to_string(sizeof(rifa_http_response)) + " bytes)");
}

}  // namespace
}  // namespace rifa::testing
