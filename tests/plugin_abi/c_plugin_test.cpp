// A plugin written in plain C99 (c_notifier_plugin.c) loads and works through the same harness
// the host-side tests use.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace rifa::testing
