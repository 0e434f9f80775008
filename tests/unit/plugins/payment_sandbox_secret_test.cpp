// payment_sandbox refuses the webhook secret written in the shipped example configs unless its
// config says development mode: with that secret anyone can sign a payment confirmation.
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

constexpr const char* kShippedSecret = "dev-only-sandbox-secret";

class SandboxSecretTest : public ::testing::Test {
 protected:
  SandboxSecretTest() : library_(RIFA_PLUGIN_FILE), manifest_(library_.manifest()) {}

  SharedLibrary library_;
  const rifa_plugin_manifest* manifest_;
  FakeHost host_;
};

TEST_F(SandboxSecretTest, TheShippedSecretIsRefusedOutsideDevelopmentMode) {
  PluginHarness plugin(manifest_, host_, "sandbox", json{{"webhook_secret", kShippedSecret}}.dump());
  EXPECT_FALSE(plugin.created());
  EXPECT_EQ(plugin.create_outcome().status, RIFA_ERR_CONFIG);
  EXPECT_NE(plugin.create_outcome().error.find("shipped example secret"), std::string::npos)
      << plugin.create_outcome().error;

  PluginHarness explicit_off(manifest_, host_, "sandbox",
                             json{{"webhook_secret", kShippedSecret}, {"development", false}}.dump());
  EXPECT_FALSE(explicit_off.created());
}

TEST_F(SandboxSecretTest, DevelopmentModeAcceptsItAndARealSecretNeedsNoMode) {
  PluginHarness dev(manifest_, host_, "sandbox",
                    json{{"webhook_secret", kShippedSecret}, {"development", true}}.dump());
  EXPECT_TRUE(dev.created()) << dev.create_outcome().error;
  PluginHarness real(manifest_, host_, "sandbox", json{{"webhook_secret", "a-secret-of-our-own-0123456789"}}.dump());
  EXPECT_TRUE(real.created()) << real.create_outcome().error;
}

TEST_F(SandboxSecretTest, TheConfigSchemaDeclaresDevelopment) {
  const json schema = json::parse(manifest_->config_schema_json);
  ASSERT_TRUE(schema["properties"].contains("development")) << schema.dump();
  EXPECT_EQ(schema["properties"]["development"]["type"], "boolean");
}

}  // namespace
}  // namespace rifa::testing
