// The loader's gate: every way a configured plugin can be wrong gets its own message naming the
// file and the reason.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "plugin_runtime/plugin_registry.hpp"

namespace rifa::plugin_runtime {
namespace {

namespace fs = std::filesystem;

fs::path forged(const std::string& name) { return fs::path(RIFA_FORGE_DIR) / ("lib" + name + ".so"); }

std::string load_error(const fs::path& path) {
  auto lib = PluginLibrary::load(path);
  EXPECT_FALSE(lib.ok()) << path;
  return lib.ok() ? "" : lib.error().message;
}

PluginSpec spec(const std::string& id, const std::string& lib, rifa_plugin_kind kind,
                nlohmann::json config = nlohmann::json::object()) {
  return PluginSpec{id, forged(lib), kind, std::move(config)};
}

TEST(PluginLoader, LoadsAValidPluginAndReadsItsManifest) {
  auto lib = PluginLibrary::load(forged("forge_ok"));
  ASSERT_TRUE(lib.ok()) << lib.error().message;
  EXPECT_EQ((*lib)->info().name, "forge");
  EXPECT_EQ((*lib)->info().version, "0.0.1");
  EXPECT_EQ((*lib)->info().kind, RIFA_KIND_NOTIFIER);
  EXPECT_EQ((*lib)->info().abi_major, RIFA_ABI_VERSION_MAJOR);
}

TEST(PluginLoader, MissingFile) {
  const auto path = forged("does_not_exist");
  EXPECT_EQ(load_error(path), "plugin library " + path.string() + ": file not found");
}

TEST(PluginLoader, NotASharedLibrary) {
  const fs::path path = fs::temp_directory_path() / "rifa_not_a_library.so";
  std::ofstream(path) << "this is a text file, not ELF\n";
  EXPECT_EQ(load_error(path), "plugin library " + path.string() + ": not a shared library (no ELF header)");
  fs::remove(path);
}

TEST(PluginLoader, ElfButNotLoadable) {
  // An ELF header followed by garbage: passes the magic check, fails in the dynamic loader.
  const fs::path path = fs::temp_directory_path() / "rifa_truncated_elf.so";
  std::ofstream(path, std::ios::binary) << "\x7f"
                                           "ELF"
                                        << std::string(64, '\x01');
  const std::string error = load_error(path);
  EXPECT_EQ(error.rfind("plugin library " + path.string() + ": cannot be loaded as a shared library: ", 0), 0u)
      << error;
  fs::remove(path);
}

TEST(PluginLoader, NoEntrySymbol) {
  const auto path = forged("forge_no_entry");
  EXPECT_EQ(load_error(path), "plugin library " + path.string() +
                                  ": no entry symbol 'rifa_plugin_manifest_v1' (build the plugin with the "
                                  "RifaSDK's RIFA_PLUGIN macro or export it)");
}

TEST(PluginLoader, AbiMajorOlderThanHost) {
  const auto path = forged("forge_major_old");
  EXPECT_EQ(load_error(path), "plugin library " + path.string() + ": ABI major 0 (plugin built for 0." +
                                  std::to_string(RIFA_ABI_VERSION_MINOR) + "), host supports 1 (1." +
                                  std::to_string(RIFA_ABI_VERSION_MINOR) + "): rebuild the plugin against RifaSDK 1.x");
}

TEST(PluginLoader, AbiMajorNewerThanHost) {
  const auto path = forged("forge_major_new");
  const std::string error = load_error(path);
  EXPECT_NE(error.find(": ABI major 2 (plugin built for 2."), std::string::npos) << error;
  EXPECT_NE(error.find("host supports 1"), std::string::npos) << error;
}

TEST(PluginLoader, AbiMinorNewerThanHost) {
  const auto path = forged("forge_minor_new");
  const std::string host = "1." + std::to_string(RIFA_ABI_VERSION_MINOR);
  const std::string plugin = "1." + std::to_string(RIFA_ABI_VERSION_MINOR + 1);
  EXPECT_EQ(load_error(path), "plugin library " + path.string() + ": ABI " + plugin + " is newer than the host's " +
                                  host + ": upgrade the host or build the plugin against an older SDK");
}

TEST(PluginRegistry, WrongKindForTheSlot) {
  PluginRegistry registry;
  auto added = registry.add(spec("results", "forge_ok", RIFA_KIND_LOTTERY), HostServices{});
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.error().message, "plugin 'results' (" + forged("forge_ok").string() +
                                       "): configured as a lottery plugin, but the library is a notifier "
                                       "plugin ('forge')");
}

TEST(PluginRegistry, DuplicateInstanceId) {
  PluginRegistry registry;
  ASSERT_TRUE(registry.add(spec("log", "forge_ok", RIFA_KIND_NOTIFIER), HostServices{}).ok());
  auto again = registry.add(spec("log", "forge_ok", RIFA_KIND_NOTIFIER), HostServices{});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message, "plugin 'log' (" + forged("forge_ok").string() + "): duplicate instance id 'log'");
}

TEST(PluginRegistry, ConfigRejectedBySchemaPassesEveryReasonThrough) {
  PluginRegistry registry;
  auto added =
      registry.add(spec("log", "forge_ok", RIFA_KIND_NOTIFIER, {{"prefx", "x"}, {"level", 9}}), HostServices{});
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.error().code, ErrorCode::kConfigInvalid);
  EXPECT_EQ(added.error().message,
            "plugin 'log' (" + forged("forge_ok").string() +
                "): config rejected by the plugin's schema: plugins.instances.log.config.level: 9 is greater "
                "than the maximum 5; plugins.instances.log.config.prefx: unknown property 'prefx' (allowed: "
                "level, prefix)");
}

TEST(PluginRegistry, InitFailsWithThePluginsMessage) {
  PluginRegistry registry;
  auto added = registry.add(spec("n", "forge_init_fails", RIFA_KIND_NOTIFIER), HostServices{});
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.error().message, "plugin 'n' (" + forged("forge_init_fails").string() +
                                       "): init failed (config): prefix must not be 'forbidden'");
}

TEST(PluginRegistry, InitThrowsAcrossTheBoundary) {
  PluginRegistry registry;
  auto added = registry.add(spec("n", "forge_init_throws", RIFA_KIND_NOTIFIER), HostServices{});
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.error().message, "plugin 'n' (" + forged("forge_init_throws").string() +
                                       "): init threw an exception across the ABI boundary: boom from create");
}

TEST(PluginRegistry, LoadAllReportsEveryFailureNotJustTheFirst) {
  PluginRegistry registry;
  std::vector<PluginSpec> specs = {spec("a", "forge_major_new", RIFA_KIND_NOTIFIER),
                                   spec("b", "forge_ok", RIFA_KIND_NOTIFIER),
                                   spec("c", "forge_no_entry", RIFA_KIND_NOTIFIER)};
  auto errors = registry.load_all(specs, [](const PluginSpec&) -> Result<HostServices> { return HostServices{}; });
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_NE(errors[0].message.find("plugin 'a'"), std::string::npos);
  EXPECT_NE(errors[1].message.find("plugin 'c'"), std::string::npos);
  ASSERT_NE(registry.find("b"), nullptr);
}

// --- reconcile: what a config reload does to the registry ------------------------------------------

Result<HostServices> no_services(const PluginSpec&) { return HostServices{}; }

TEST(PluginRegistry, ReconcileAddsChangesAndRemovesInOneStep) {
  PluginRegistry registry;
  ASSERT_TRUE(registry
                  .load_all({spec("keep", "forge_ok", RIFA_KIND_NOTIFIER, {{"prefix", "k"}}),
                             spec("edit", "forge_ok", RIFA_KIND_NOTIFIER, {{"prefix", "old"}}),
                             spec("gone", "forge_ok", RIFA_KIND_NOTIFIER)},
                            no_services)
                  .empty());
  const auto kept_before = registry.find("keep");
  const auto edited_before = registry.find("edit");
  std::vector<Error> errors;
  auto changes = registry.reconcile({spec("keep", "forge_ok", RIFA_KIND_NOTIFIER, {{"prefix", "k"}}),
                                     spec("edit", "forge_ok", RIFA_KIND_NOTIFIER, {{"prefix", "new"}}),
                                     spec("fresh", "forge_ok", RIFA_KIND_NOTIFIER)},
                                    no_services, &errors);
  ASSERT_TRUE(changes.ok()) << changes.error().message;
  EXPECT_EQ(changes->added, std::vector<std::string>{"fresh"});
  EXPECT_EQ(changes->changed, std::vector<std::string>{"edit"});
  EXPECT_EQ(changes->removed, std::vector<std::string>{"gone"});
  EXPECT_EQ(registry.find("keep"), kept_before) << "an unchanged instance must not be recreated";
  EXPECT_NE(registry.find("edit"), edited_before);
  EXPECT_EQ(registry.find("edit")->deliver("{}").result, R"({"config":{"prefix":"new"},"event":{}})");
  EXPECT_EQ(registry.find("gone"), nullptr);
  EXPECT_EQ(registry.config_of("edit"), (nlohmann::json{{"prefix", "new"}}));
  EXPECT_EQ(registry.list().size(), 3u);
}

TEST(PluginRegistry, AFailedReconcileChangesNothingAndSaysEveryReason) {
  PluginRegistry registry;
  ASSERT_TRUE(registry.add(spec("a", "forge_ok", RIFA_KIND_NOTIFIER, {{"prefix", "a"}}), HostServices{}).ok());
  const auto before = registry.find("a");
  std::vector<Error> errors;
  auto changes = registry.reconcile(
      {spec("a", "forge_ok", RIFA_KIND_NOTIFIER, {{"prefix", "changed"}}),
       spec("b", "forge_init_fails", RIFA_KIND_NOTIFIER), spec("c", "forge_ok", RIFA_KIND_NOTIFIER, {{"level", 99}})},
      no_services, &errors);
  ASSERT_FALSE(changes.ok());
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_NE(errors[0].message.find("plugin 'b'"), std::string::npos) << errors[0].message;
  EXPECT_NE(errors[1].message.find("plugin 'c'"), std::string::npos) << errors[1].message;
  EXPECT_EQ(registry.find("a"), before);
  EXPECT_EQ(registry.find("b"), nullptr);
  EXPECT_EQ(registry.list().size(), 1u);
  EXPECT_EQ(registry.find("a")->deliver("{}").result, R"({"config":{"prefix":"a"},"event":{}})");
}

TEST(PluginRegistry, ACallInFlightKeepsItsInstanceThroughAReloadThatRemovesIt) {
  PluginRegistry registry;
  ASSERT_TRUE(registry.add(spec("n", "forge_ok", RIFA_KIND_NOTIFIER, {{"prefix", "p"}}), HostServices{}).ok());
  auto in_flight = registry.find("n");  // what a gateway holds for the length of one call
  std::vector<Error> errors;
  ASSERT_TRUE(registry.reconcile({}, no_services, &errors).ok());
  EXPECT_EQ(registry.find("n"), nullptr);
  // The removed instance (and its library) still answers the call that was under way.
  EXPECT_EQ(in_flight->deliver(R"({"type":"winner"})").result,
            R"({"config":{"prefix":"p"},"event":{"type":"winner"}})");
  std::weak_ptr<PluginInstance> watch = in_flight;
  in_flight.reset();
  EXPECT_TRUE(watch.expired()) << "the removed instance outlived its last call";
}

TEST(PluginRegistry, LookupsDuringReloadsAlwaysFindAnInstance) {
  PluginRegistry registry;
  ASSERT_TRUE(registry.add(spec("n", "forge_ok", RIFA_KIND_NOTIFIER, {{"prefix", "0"}}), HostServices{}).ok());
  std::atomic<bool> stop{false};
  std::atomic<int> missing{0}, calls{0};
  std::vector<std::thread> callers;
  for (int t = 0; t < 4; ++t) {
    callers.emplace_back([&] {
      while (!stop) {
        auto instance = registry.find("n");
        if (!instance || !instance->deliver("{}").ok()) ++missing;
        ++calls;
      }
    });
  }
  // At least 50 reloads, and as many more as it takes for the callers to have run (on a loaded
  // machine the threads may not be scheduled before 50 reloads are done, and then nothing raced).
  for (int i = 1; i <= 50 || calls.load() < 200; ++i) {
    std::vector<Error> errors;
    ASSERT_TRUE(registry
                    .reconcile({spec("n", "forge_ok", RIFA_KIND_NOTIFIER, {{"prefix", std::to_string(i)}})},
                               no_services, &errors)
                    .ok());
  }
  stop = true;
  for (auto& c : callers) c.join();
  EXPECT_EQ(missing.load(), 0);
  EXPECT_GT(calls.load(), 0);
}

TEST(PluginInstance, CallsWorkAndLogsAreTaggedWithTheInstanceId) {
  std::ostringstream captured;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
  HostServices services;
  services.logger = std::make_shared<spdlog::logger>("test", sink);
  MetricsRegistry metrics;
  services.metrics = &metrics;
  PluginRegistry registry;
  ASSERT_TRUE(registry.add(spec("audit-log", "forge_ok", RIFA_KIND_NOTIFIER, {{"prefix", "p"}}), services).ok());
  auto outcome = registry.find("audit-log")->deliver(R"({"type":"winner"})");
  ASSERT_TRUE(outcome.ok()) << outcome.error;
  EXPECT_EQ(outcome.result, R"({"config":{"prefix":"p"},"event":{"type":"winner"}})");
  EXPECT_NE(captured.str().find("[plugin:audit-log] delivered"), std::string::npos) << captured.str();
  EXPECT_NE(metrics.render().find(R"(rifa_plugin_calls_total{instance="audit-log",operation="deliver",status="ok"} 1)"),
            std::string::npos)
      << metrics.render();
}

// What /api/v1/health shows per instance: the last answer, the last failure and its error, and
// how many calls in a row failed. A decline-like answer is not a failure; a transport error is.
TEST(PluginInstance, RemembersItsLastSuccessAndLastFailure) {
  PluginRegistry registry;
  ASSERT_TRUE(registry.add(spec("hooks", "forge_ok", RIFA_KIND_NOTIFIER), HostServices{}).ok());
  auto instance = registry.find("hooks");
  EXPECT_FALSE(instance->health().last_success);
  EXPECT_FALSE(instance->health().last_failure);

  ASSERT_TRUE(instance->deliver(R"({"type":"winner"})").ok());
  auto health = instance->health();
  ASSERT_TRUE(health.last_success);
  EXPECT_EQ(health.last_success->operation, "deliver");
  EXPECT_FALSE(health.last_failure);
  EXPECT_EQ(health.consecutive_failures, 0u);

  for (int i = 0; i < 2; ++i) EXPECT_EQ(instance->deliver(R"({"type":"unreachable"})").status, RIFA_ERR_TRANSPORT);
  health = instance->health();
  ASSERT_TRUE(health.last_failure);
  EXPECT_EQ(health.last_failure->operation, "deliver");
  EXPECT_NE(health.last_failure->error.find("connection refused by hooks.example.com"), std::string::npos)
      << health.last_failure->error;
  EXPECT_EQ(health.consecutive_failures, 2u);
  EXPECT_GE(health.last_failure->at, health.last_success->at);

  ASSERT_TRUE(instance->deliver(R"({"type":"winner"})").ok());
  EXPECT_EQ(instance->health().consecutive_failures, 0u);
  EXPECT_TRUE(instance->health().last_failure) << "the last failure is kept after a success";

  EXPECT_FALSE(is_instance_failure(RIFA_ERR_DECLINED));
  EXPECT_FALSE(is_instance_failure(RIFA_ERR_SIGNATURE));
  EXPECT_FALSE(is_instance_failure(RIFA_NOT_PUBLISHED));
  EXPECT_TRUE(is_instance_failure(RIFA_ERR_TIMEOUT));
}

TEST(PluginInstance, KeepsItsLibraryLoadedAfterTheRegistryLetsGo) {
  std::unique_ptr<PluginInstance> instance;
  {
    auto lib = PluginLibrary::load(forged("forge_ok"));
    ASSERT_TRUE(lib.ok());
    auto created = PluginInstance::create(*lib, spec("x", "forge_ok", RIFA_KIND_NOTIFIER), HostServices{});
    ASSERT_TRUE(created.ok()) << created.error().message;
    instance = std::move(*created);
  }  // our handle on the library is gone; the instance still holds one
  EXPECT_TRUE(instance->deliver("{}").ok());
}

TEST(PluginInstance, OperationOfAnotherKindIsUnsupported) {
  PluginRegistry registry;
  ASSERT_TRUE(registry.add(spec("n", "forge_ok", RIFA_KIND_NOTIFIER), HostServices{}).ok());
  auto outcome = registry.find("n")->fetch_draw("2026-01-01");
  EXPECT_EQ(outcome.status, RIFA_ERR_UNSUPPORTED);
  EXPECT_EQ(outcome.error, "fetch_draw is not an operation of plugin 'n'");
}

}  // namespace
}  // namespace rifa::plugin_runtime
