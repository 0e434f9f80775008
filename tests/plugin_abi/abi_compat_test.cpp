// The ABI's growth rule, through the host's own loader (plugin_runtime): a plugin built against an
// older minor — c_lottery_v10_plugin.c, whose manifest, lottery vtable and HTTP structs are the
// ABI 1.0 sizes — loads and works, and draw_dates (1.1) reads as absent; one declaring a newer minor
// is refused; one whose structs are smaller than ABI 1.0's is refused with a message naming the
// struct, the size given and the size needed.
#include <gtest/gtest.h>

#include <cstddef>
#include <memory>
#include <string>

#include "plugin_runtime/plugin_instance.hpp"
#include "rifa/sdk/abi_layout.hpp"

namespace rifa::plugin_runtime {
namespace {

std::filesystem::path plugin(const std::string& name) {
  return std::filesystem::path(RIFA_ABI_PLUGIN_DIR) / ("lib" + name + RIFA_ABI_PLUGIN_SUFFIX);
}

// The outside world of these tests: one page, and a count of how often it was asked for.
class OnePage : public HttpTransport {
 public:
  Result<HttpResponse> perform(const HttpRequest& request) override {
    ++calls;
    last_url = request.url;
    return HttpResponse{200, request.url, "content-type: text/plain\n", "numero 0042"};
  }
  int calls = 0;
  std::string last_url;
};

struct Loaded {
  std::shared_ptr<OnePage> transport = std::make_shared<OnePage>();
  std::unique_ptr<PluginInstance> instance;
};

Loaded create(const std::string& name) {
  auto library = PluginLibrary::load(plugin(name));
  EXPECT_TRUE(library) << library.error().message;
  Loaded loaded;
  if (!library) return loaded;
  PluginSpec spec;
  spec.id = "old";
  spec.library_path = plugin(name);
  spec.expected_kind = RIFA_KIND_LOTTERY;
  spec.config = {{"url", "https://lottery.test/results"}};
  HostServices services;
  services.now_unix_ms = [] { return int64_t{1769083200000}; };
  services.transport = loaded.transport;
  auto instance = PluginInstance::create(*library, spec, services);
  EXPECT_TRUE(instance) << instance.error().message;
  if (instance) loaded.instance = std::move(*instance);
  return loaded;
}

TEST(AbiGrowth, TheLayoutsOfAbi10) {
  // What "ABI 1.0's layout" means on this platform: 1.1 appended draw_dates to the lottery vtable
  // only, so every other struct's 1.0 layout ends where the struct ends today.
  EXPECT_EQ(sdk::abi::v1_0::lottery_vtable, offsetof(rifa_lottery_vtable, draw_dates));
  EXPECT_LT(sdk::abi::v1_0::lottery_vtable, sizeof(rifa_lottery_vtable));
  EXPECT_EQ(sdk::abi::v1_0::manifest, sizeof(rifa_plugin_manifest));
  EXPECT_EQ(sdk::abi::v1_0::payment_vtable, sizeof(rifa_payment_vtable));
  EXPECT_EQ(sdk::abi::v1_0::notifier_vtable, sizeof(rifa_notifier_vtable));
  EXPECT_EQ(sdk::abi::v1_0::http_response, sizeof(rifa_http_response));
  EXPECT_EQ(sdk::abi::v1_0::host_api, sizeof(rifa_host_api));
}

TEST(AbiGrowth, A10LotteryLoadsAndWorks) {
  auto library = PluginLibrary::load(plugin("abi_c_lottery_v10"));
  ASSERT_TRUE(library) << library.error().message;
  const ManifestInfo& info = (*library)->info();
  EXPECT_EQ(info.abi_minor, 0);
  EXPECT_EQ(info.name, "c_lottery_v10");
  EXPECT_EQ(info.kind, RIFA_KIND_LOTTERY);
  // The host's copy keeps the plugin's struct_size and holds NULL past it.
  const rifa_lottery_vtable* v = (*library)->manifest().lottery;
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->struct_size, sdk::abi::v1_0::lottery_vtable);
  EXPECT_FALSE(RIFA_HAS_FIELD(rifa_lottery_vtable, v, draw_dates));
  EXPECT_EQ(v->draw_dates, nullptr);

  Loaded loaded = create("abi_c_lottery_v10");
  ASSERT_TRUE(loaded.instance);
  // A call that goes out through the host's HTTP with a 1.0-sized response struct.
  auto draw = loaded.instance->fetch_draw("2026-01-22");
  EXPECT_EQ(draw.status, RIFA_OK) << draw.error;
  EXPECT_EQ(draw.result, R"({"date": "2026-01-22", "status": 200, "body": "numero 0042"})");
  EXPECT_EQ(loaded.transport->calls, 1);
  EXPECT_EQ(loaded.transport->last_url, "https://lottery.test/results");

  auto schedule = loaded.instance->schedule();
  EXPECT_EQ(schedule.status, RIFA_OK) << schedule.error;
  EXPECT_NE(schedule.result.find("thursday"), std::string::npos);

  // 1.1's draw_dates lies past the plugin's vtable (where the plugin keeps another function):
  // unsupported, never called.
  auto dates = loaded.instance->draw_dates("2026-01-01", "2026-01-31");
  EXPECT_EQ(dates.status, RIFA_ERR_UNSUPPORTED);
  EXPECT_EQ(dates.error, "plugin 'old' publishes no draw calendar");
  EXPECT_EQ(dates.result, "");
}

TEST(AbiGrowth, AnHttpResponseSmallerThan10IsRefusedWithItsSizes) {
  Loaded loaded = create("abi_c_lottery_v10");
  ASSERT_TRUE(loaded.instance);
  auto refused = loaded.instance->fetch_draw("short-response");
  EXPECT_EQ(refused.status, RIFA_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(refused.error, "http_request: rifa_http_response struct_size " +
                               std::to_string(offsetof(rifa_http_response, host_private)) +
                               " is smaller than ABI 1.0's rifa_http_response (" +
                               std::to_string(sdk::abi::v1_0::http_response) + " bytes)");
  EXPECT_EQ(loaded.transport->calls, 0);
}

TEST(AbiGrowth, ANewerMinorIsRefused) {
  const auto path = plugin("abi_c_lottery_minor_new");
  auto library = PluginLibrary::load(path);
  ASSERT_FALSE(library);
  EXPECT_EQ(library.error().code, ErrorCode::kPluginLoad);
  const std::string plugin_abi =
      std::to_string(RIFA_ABI_VERSION_MAJOR) + "." + std::to_string(RIFA_ABI_VERSION_MINOR + 1);
  const std::string host_abi = std::to_string(RIFA_ABI_VERSION_MAJOR) + "." + std::to_string(RIFA_ABI_VERSION_MINOR);
  EXPECT_EQ(library.error().message, "plugin library " + path.string() + ": ABI " + plugin_abi +
                                         " is newer than the host's " + host_abi +
                                         ": upgrade the host or build the plugin against an older SDK");
}

TEST(AbiGrowth, AVtableSmallerThan10IsRefusedWithItsSizes) {
  const auto path = plugin("abi_c_lottery_short_vtable");
  auto library = PluginLibrary::load(path);
  ASSERT_FALSE(library);
  EXPECT_EQ(library.error().message, "plugin library " + path.string() + ": lottery vtable struct_size " +
                                         std::to_string(offsetof(rifa_lottery_vtable, schedule)) +
                                         " is smaller than ABI 1.0's lottery vtable (" +
                                         std::to_string(sdk::abi::v1_0::lottery_vtable) + " bytes)");
}

TEST(AbiGrowth, AManifestSmallerThan10IsRefusedWithItsSizes) {
  const auto path = plugin("abi_c_lottery_short_manifest");
  auto library = PluginLibrary::load(path);
  ASSERT_FALSE(library);
  EXPECT_EQ(library.error().message, "plugin library " + path.string() + ": manifest struct_size " +
                                         std::to_string(offsetof(rifa_plugin_manifest, notifier)) +
                                         " is smaller than ABI 1.0's manifest (" +
                                         std::to_string(sdk::abi::v1_0::manifest) + " bytes) (plugin built for 1.0)");
}

}  // namespace
}  // namespace rifa::plugin_runtime
