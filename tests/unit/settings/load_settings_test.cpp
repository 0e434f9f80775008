#include "settings/settings.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <unistd.h>

#include <fstream>

namespace rifa::settings {
namespace {

namespace fs = std::filesystem;

const std::string kRequired =
    "database:\n"
    "  url: sqlite3://rifa.db\n"
    "plugins:\n"
    "  instances:\n"
    "    mock: {library: lottery_mock, kind: lottery}\n"
    "    sandbox: {library: payment_sandbox, kind: payment}\n"
    "    log: {library: notifier_log, kind: notifier}\n"
    "bindings:\n"
    "  defaults: {lottery: mock, payment: sandbox, notifiers: [log]}\n";

LoadResult load(const std::string& yaml, std::map<std::string, std::string> env = {},
                const fs::path& base = "/srv/rifa/config") {
  return load_settings_text(yaml, "test.yaml", base, environment_from_map(std::move(env)));
}

std::string errors_of(const LoadResult& r) { return r.ok() ? "(loaded)" : format_errors(r.errors()); }

TEST(LoadSettings, DefaultsFillEverythingNotWritten) {
  auto r = load(kRequired);
  ASSERT_TRUE(r.ok()) << errors_of(r);
  const Settings& s = r.settings();
  EXPECT_EQ(s.config_file, fs::path("test.yaml"));
  EXPECT_EQ(s.base_dir, fs::path("/srv/rifa/config"));
  EXPECT_EQ(s.server.listen, "127.0.0.1");
  EXPECT_EQ(s.server.port, 8080);
  EXPECT_EQ(s.server.io_threads, 1);
  EXPECT_EQ(s.server.body_limit_bytes, 1048576u);
  EXPECT_TRUE(s.server.cors_allowed_origins.empty());
  EXPECT_EQ(s.server.max_connections, 10000u);
  EXPECT_EQ(s.server.max_connections_per_ip, 256u);
  EXPECT_EQ(s.database.url, "sqlite3://rifa.db");
  EXPECT_EQ(s.database.pool_size, 4);
  EXPECT_TRUE(s.database.migrate_on_start);
  EXPECT_EQ(s.database.seed_dir, fs::path());
  EXPECT_TRUE(s.secrets.empty());
  EXPECT_EQ(s.logging.level, "info");
  EXPECT_EQ(s.logging.format, "json");
  EXPECT_EQ(s.plugins.http.timeout_ms, 10000u);
  EXPECT_EQ(s.plugins.http.retries, 1);
  EXPECT_TRUE(s.plugins.http.egress_allow.empty());
  EXPECT_EQ(s.plugins.http.mode, TransportMode::kLive);
  EXPECT_EQ(s.plugins.http.fixtures_dir, fs::path());
  EXPECT_TRUE(s.plugins.search_path.empty());
  ASSERT_EQ(s.plugins.instances.size(), 3u);
  EXPECT_EQ(s.plugins.instances[0].id, "mock");
  EXPECT_EQ(s.plugins.instances[0].library, "lottery_mock");
  EXPECT_EQ(s.plugins.instances[0].kind, PluginKind::kLottery);
  EXPECT_EQ(s.plugins.instances[0].config, nlohmann::json::object());
  EXPECT_EQ(s.plugins.instances[0].resolved_library_path, fs::path());
  EXPECT_EQ(s.plugins.instances[1].kind, PluginKind::kPayment);
  EXPECT_EQ(s.plugins.instances[2].kind, PluginKind::kNotifier);
  EXPECT_EQ(s.bindings.defaults, (ResolvedBinding{"mock", "sandbox", {"log"}}));
  EXPECT_TRUE(s.bindings.categorias.empty());
  EXPECT_TRUE(s.bindings.rifas.empty());
}

TEST(LoadSettings, InstancesKeepFileOrderAndTheirPosition) {
  auto r = load(kRequired);
  ASSERT_TRUE(r.ok());
  const auto* log = r.settings().find_instance("log");
  ASSERT_NE(log, nullptr);
  EXPECT_EQ(log->location.file, "test.yaml");
  EXPECT_EQ(log->location.line, 7);
  EXPECT_EQ(log->location.column, 5);
  EXPECT_EQ(r.settings().find_instance("nope"), nullptr);
}

TEST(LoadSettings, RelativePathsAreRelativeToTheConfigFolder) {
  auto r = load(
      "database:\n  url: sqlite3://../var/rifa.db\n  seed: ../fixtures/seed\n"
      "plugins:\n  search_path: [../build/plugins, /opt/plugins]\n"
      "  http: {mode: record, fixtures_dir: ../fixtures/recorded}\n"
      "  instances:\n"
      "    mock: {library: lottery_mock, kind: lottery}\n"
      "    sandbox: {library: ./vendor/libpay.so, kind: payment}\n"
      "bindings:\n  defaults: {lottery: mock, payment: sandbox, notifiers: []}\n");
  ASSERT_TRUE(r.ok()) << errors_of(r);
  const Settings& s = r.settings();
  // The URL stays as written: storage resolves it against base_dir.
  EXPECT_EQ(s.database.url, "sqlite3://../var/rifa.db");
  EXPECT_EQ(s.database.seed_dir, fs::path("/srv/rifa/fixtures/seed"));
  EXPECT_EQ(s.plugins.search_path, (std::vector<fs::path>{"/srv/rifa/build/plugins", "/opt/plugins"}));
  EXPECT_EQ(s.plugins.http.mode, TransportMode::kRecord);
  EXPECT_EQ(s.plugins.http.fixtures_dir, fs::path("/srv/rifa/fixtures/recorded"));
  EXPECT_EQ(s.plugins.instances[0].resolved_library_path, fs::path("/srv/rifa/build/plugins/liblottery_mock.so"));
  EXPECT_EQ(s.plugins.instances[1].library, "./vendor/libpay.so");
  EXPECT_EQ(s.plugins.instances[1].resolved_library_path, fs::path("/srv/rifa/config/vendor/libpay.so"));
}

TEST(LoadSettings, RifaPluginPathFromTheInjectedEnvironmentIsSearchedFirst) {
  auto r = load(kRequired + "", {{"RIFA_PLUGIN_PATH", "/env/a:/env/b"}});
  ASSERT_TRUE(r.ok()) << errors_of(r);
  EXPECT_EQ(r.settings().plugins.search_path, (std::vector<fs::path>{"/env/a", "/env/b"}));
  EXPECT_EQ(r.settings().plugins.instances[0].resolved_library_path, fs::path("/env/a/liblottery_mock.so"));
}

TEST(LoadSettings, APlainReferenceInsideAFlowMappingIsASyntaxErrorSoItMustBeQuoted) {
  auto r = load("database: {url: ${DB}}\n", {{"DB", "sqlite3://x.db"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(format_errors(r.errors()), "test.yaml:1:18: error: YAML syntax error: end of map flow not found\n");
}

TEST(LoadSettings, EnvironmentIsExpandedInEveryScalarBeforeTyping) {
  auto r = load(
      "server:\n  port: ${PORT:-0}\n  io_threads: \"${THREADS}\"\n"
      "database:\n  url: ${DB}\n  migrate_on_start: ${MIGRATE:-false}\n"
      "secrets:\n  jwt_secret: ${JWT:-dev}\n  literal: \"$${JWT}\"\n"
      "plugins:\n  http: {egress_allow: [\"${HOST}\"]}\n  instances:\n"
      "    mock:\n      library: ${LIB:-lottery_mock}\n      kind: lottery\n"
      // Block style: inside {...} a plain ${X} would end the flow mapping early.
      "      config:\n        seed: ${SEED}\n        quoted_seed: \"${SEED}\"\n        name: ${NAME}\n"
      "    sandbox: {library: payment_sandbox, kind: payment}\n"
      "bindings:\n  defaults: {lottery: mock, payment: sandbox, notifiers: []}\n",
      {{"THREADS", "3"}, {"DB", "postgresql://u:p@h/db"}, {"SEED", "42"}, {"NAME", "true"}, {"HOST", "baloto.com"}});
  ASSERT_TRUE(r.ok()) << errors_of(r);
  const Settings& s = r.settings();
  EXPECT_EQ(s.server.port, 0);
  EXPECT_EQ(s.server.io_threads, 3);
  EXPECT_EQ(s.database.url, "postgresql://u:p@h/db");
  EXPECT_FALSE(s.database.migrate_on_start);
  EXPECT_EQ(s.secrets.at("jwt_secret"), "dev");
  EXPECT_EQ(s.secrets.at("literal"), "${JWT}");
  EXPECT_EQ(s.plugins.http.egress_allow, std::vector<std::string>{"baloto.com"});
  EXPECT_EQ(s.plugins.instances[0].library, "lottery_mock");
  // A plain scalar is typed after expansion; a quoted one stays a string.
  EXPECT_EQ(s.plugins.instances[0].config, nlohmann::json::parse(R"({"seed":42,"quoted_seed":"42","name":true})"));
}

TEST(LoadSettings, PluginConfigIsConvertedWithScalarTyping) {
  auto r = load(
      "database: {url: sqlite3://x.db}\nplugins:\n  instances:\n"
      "    mock:\n      library: lottery_mock\n      kind: lottery\n      config:\n"
      "        seed: 42\n        ratio: 0.5\n        strict: false\n        nothing: ~\n"
      "        code: \"007\"\n        zero_padded: 007\n        list: [1, two, {three: 3.0}]\n"
      "    sandbox: {library: payment_sandbox, kind: payment, config: }\n"
      "bindings:\n  defaults: {lottery: mock, payment: sandbox, notifiers: []}\n");
  ASSERT_TRUE(r.ok()) << errors_of(r);
  const auto& config = r.settings().plugins.instances[0].config;
  EXPECT_EQ(config, nlohmann::json::parse(
                        R"({"seed":42,"ratio":0.5,"strict":false,"nothing":null,"code":"007","zero_padded":7,
                            "list":[1,"two",{"three":3.0}]})"));
  EXPECT_TRUE(config["seed"].is_number_integer());
  EXPECT_TRUE(config["list"][2]["three"].is_number_float());
  EXPECT_EQ(r.settings().plugins.instances[1].config, nlohmann::json::object());
}

TEST(LoadSettings, OverridesLoadAndResolve) {
  auto r = load(kRequired +
                "  categorias:\n    Oro: {lottery: mock, notifiers: []}\n    Plata: {}\n"
                "  rifas:\n    \"6F1C2B9E-0D4A-4C1E-9F3B-2A7D5E8C1B40\": {payment: sandbox, notifiers: [log]}\n");
  ASSERT_TRUE(r.ok()) << errors_of(r);
  const Bindings& b = r.settings().bindings;
  EXPECT_EQ(b.categorias.at("Oro"), (BindingOverride{"mock", std::nullopt, std::vector<std::string>{}}));
  EXPECT_EQ(b.categorias.at("Plata"), BindingOverride{});
  ASSERT_EQ(b.rifas.count("6f1c2b9e-0d4a-4c1e-9f3b-2a7d5e8c1b40"), 1u);
  EXPECT_EQ(resolve_bindings(b, "6f1c2b9e-0d4a-4c1e-9f3b-2a7d5e8c1b40", "Oro"),
            (ResolvedBinding{"mock", "sandbox", {"log"}}));
  EXPECT_EQ(resolve_bindings(b, "00000000-0000-0000-0000-000000000000", "Oro"),
            (ResolvedBinding{"mock", "sandbox", {}}));
}

TEST(LoadSettings, ConnectionCapsAreReadAndZeroMeansNoCap) {
  auto r = load("server:\n  max_connections: 0\n  max_connections_per_ip: 12\n" + kRequired);
  ASSERT_TRUE(r.ok()) << errors_of(r);
  EXPECT_EQ(r.settings().server.max_connections, 0u);
  EXPECT_EQ(r.settings().server.max_connections_per_ip, 12u);
}

TEST(LoadSettings, WorkersFollowThePoolSizeUnlessSet) {
  auto defaults = load(kRequired);
  ASSERT_TRUE(defaults.ok()) << errors_of(defaults);
  EXPECT_EQ(defaults.settings().server.workers, defaults.settings().database.pool_size);
  EXPECT_EQ(defaults.settings().server.plugin_calls_per_instance, std::max(1, defaults.settings().server.workers / 2));
  EXPECT_EQ(defaults.settings().server.queue_limit, 256u);
  EXPECT_EQ(defaults.settings().server.request_timeout_ms, 10000);

  auto r =
      load("server:\n  workers: 6\n  queue_limit: 0\n  request_timeout_ms: 2500\n  plugin_calls_per_instance: 5\n" +
           kRequired);
  ASSERT_TRUE(r.ok()) << errors_of(r);
  EXPECT_EQ(r.settings().server.workers, 6);
  EXPECT_EQ(r.settings().server.queue_limit, 0u);
  EXPECT_EQ(r.settings().server.request_timeout_ms, 2500);
  EXPECT_EQ(r.settings().server.plugin_calls_per_instance, 5);

  auto half = load("server:\n  workers: 7\n" + kRequired);
  ASSERT_TRUE(half.ok()) << errors_of(half);
  EXPECT_EQ(half.settings().server.plugin_calls_per_instance, 3);

  EXPECT_FALSE(load("server:\n  workers: 0\n" + kRequired).ok());
  EXPECT_FALSE(load("server:\n  plugin_calls_per_instance: 0\n" + kRequired).ok());
}

TEST(LoadSettings, WebRootIsUnsetByDefaultAndRelativeToTheConfigFile) {
  auto defaults = load(kRequired);
  ASSERT_TRUE(defaults.ok()) << errors_of(defaults);
  EXPECT_TRUE(defaults.settings().server.web_root.empty());
  auto absolute = load("server:\n  web_root: /srv/rifa/web\n" + kRequired);
  ASSERT_TRUE(absolute.ok()) << errors_of(absolute);
  EXPECT_EQ(absolute.settings().server.web_root, fs::path("/srv/rifa/web"));
  auto relative = load("server:\n  web_root: pages\n" + kRequired);
  ASSERT_TRUE(relative.ok()) << errors_of(relative);
  EXPECT_EQ(relative.settings().server.web_root, fs::path("/srv/rifa/config/pages"));
}

TEST(LoadSettings, TheCliExampleNamesPositionPathAndSuggestion) {
  auto r = load("server:\n  prot: 8080\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(format_errors(r.errors()),
            "test.yaml:1:1: error: missing required key 'database'\n"
            "test.yaml:1:1: error: missing required key 'plugins'\n"
            "test.yaml:1:1: error: missing required key 'bindings'\n"
            "test.yaml:2:3: error: server.prot: unknown key 'prot' (did you mean 'port'?; allowed: listen, port, "
            "io_threads, body_limit_bytes, read_cache_ms, cors_allowed_origins, rate_limit, max_connections, "
            "max_connections_per_ip, workers, queue_limit, request_timeout_ms, plugin_calls_per_instance, "
            "trusted_proxies, forwarded_header, web_root, live)\n");
}

TEST(LoadSettings, ErrorsAreSortedByPositionWhateverOrderTheyWereFoundIn) {
  // Binding checks run after every section is read, yet their error (line 3) comes first.
  auto r = load(
      "bindings:\n  defaults:\n    lottery: sandbox\n    payment: sandbox\n    notifiers: []\n"
      "database: {url: sqlite3://x.db, pool_size: 0}\n"
      "plugins:\n  instances:\n    sandbox: {library: payment_sandbox, kind: payment}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(format_errors(r.errors()),
            "test.yaml:3:14: error: bindings.defaults.lottery: instance 'sandbox' is a payment plugin "
            "(plugins.instances.sandbox at line 9), but this slot needs a lottery plugin\n"
            "test.yaml:6:44: error: database.pool_size: expected an integer from 1 to 1024, got 0\n");
}

TEST(LoadSettings, MoreTypeAndValueErrors) {
  auto r = load(
      "database: {url: sqlite3://x.db}\n"
      "secrets: {empty: \"\", nested: {a: 1}}\n"
      "server: {port: 8080.5, cors_allowed_origins: }\n"
      "plugins:\n  http: {egress_allow: }\n  instances:\n"
      "    mock: {library: lottery_mock, kind: lottery}\n"
      "    sandbox: {library: \"\", kind: payment}\n"
      "bindings:\n  defaults: {lottery: mock, payment: sandbox, notifiers: []}\n"
      "  categorias:\n    Oro: {}\n    Oro: {lottery: mock}\n"
      "  rifas: [x]\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(format_errors(r.errors()),
            "test.yaml:2:18: error: secrets.empty: expected a non-empty string\n"
            "test.yaml:2:30: error: secrets.nested: expected a string, got a mapping\n"
            "test.yaml:3:16: error: server.port: expected an integer from 0 to 65535, got '8080.5'\n"
            "test.yaml:3:24: error: server.cors_allowed_origins: expected a list of origins, got nothing (null) "
            "(write [] for an empty list)\n"
            "test.yaml:5:10: error: plugins.http.egress_allow: expected a list of host names or globs, got nothing "
            "(null) (write [] for an empty list)\n"
            "test.yaml:8:24: error: plugins.instances.sandbox.library: expected a non-empty string\n"
            "test.yaml:13:5: error: bindings.categorias.Oro: duplicate categoria 'Oro' (first defined at line 12, "
            "column 5)\n"
            "test.yaml:14:10: error: bindings.rifas: expected a mapping, got a list\n");
}

TEST(LoadSettings, RecordAndReplayNeedAFixturesFolder) {
  auto r = load(kRequired + "", {});
  ASSERT_TRUE(r.ok());
  auto bad = load(
      "database: {url: sqlite3://x.db}\nplugins:\n  http:\n    mode: record\n  instances: {}\n"
      "bindings:\n  defaults: {lottery: mock, payment: pay, notifiers: []}\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(format_errors(bad.errors()),
            "test.yaml:4:11: error: plugins.http.mode: mode 'record' needs fixtures_dir (the folder of recorded "
            "exchanges)\n"
            "test.yaml:7:23: error: bindings.defaults.lottery: unknown plugin instance 'mock' (no plugin instances "
            "are defined)\n"
            "test.yaml:7:38: error: bindings.defaults.payment: unknown plugin instance 'pay' (no plugin instances "
            "are defined)\n");
}

TEST(LoadSettings, AnInstanceWithAnInvalidKindDoesNotCascadeIntoBindingErrors) {
  auto r = load(
      "database: {url: sqlite3://x.db}\nplugins:\n  instances:\n"
      "    mock: {library: lottery_mock, kind: lotto}\n"
      "    sandbox: {library: payment_sandbox, kind: payment}\n"
      "bindings:\n  defaults: {lottery: mock, payment: sandbox, notifiers: []}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(format_errors(r.errors()),
            "test.yaml:4:41: error: plugins.instances.mock.kind: invalid value 'lotto' (allowed: lottery, payment, "
            "notifier)\n");
}

TEST(LoadSettings, DatabaseUrlSchemesAreTheOnesStorageOpens) {
  const std::string rest = kRequired.substr(kRequired.find("plugins:"));
  for (const std::string url : {"sqlite3://../var/rifa.db", "sqlite3:///abs/rifa.db",
                                "sqlite3://:memory:", "postgresql://u:p@h:5432/db?sslmode=disable", "postgres://u@h/db",
                                "postgresql://host=h port=5432 dbname=db"}) {
    // Quoted: a plain scalar ending in ':' (sqlite3://:memory:) would start a mapping.
    auto r = load("database:\n  url: \"" + url + "\"\n" + rest);
    ASSERT_TRUE(r.ok()) << url << "\n" << errors_of(r);
    EXPECT_EQ(r.settings().database.url, url);
  }
  // The URL is not echoed back: it may hold a password taken from the environment.
  auto r = load("database:\n  url: mysql://root:hunter2@localhost/rifa\n" + rest);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(format_errors(r.errors()),
            "test.yaml:2:8: error: database.url: unsupported database URL (expected sqlite3://PATH or "
            "postgresql://USER:PASSWORD@HOST:PORT/DBNAME)\n");
}

TEST(FormatError, LeavesOutWhatIsAbsent) {
  EXPECT_EQ(format(ConfigError{"a.yaml", 3, 7, "server.port", "bad"}), "a.yaml:3:7: error: server.port: bad");
  EXPECT_EQ(format(ConfigError{"a.yaml", 3, 7, "", "bad"}), "a.yaml:3:7: error: bad");
  EXPECT_EQ(format(ConfigError{"a.yaml", 0, 0, "", "gone"}), "a.yaml: error: gone");
  EXPECT_EQ(format_errors({}), "");
}

class LoadSettingsFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("rifa-settings-file-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "config");
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(LoadSettingsFileTest, AMissingFileIsOneClearError) {
  auto r = load_settings_file(dir_ / "nope.yaml", environment_from_map({}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(format_errors(r.errors()),
            (dir_ / "nope.yaml").string() + ": error: cannot read the config file: no such file\n");
}

TEST_F(LoadSettingsFileTest, AFolderIsOneClearError) {
  auto r = load_settings_file(dir_ / "config", environment_from_map({}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(format_errors(r.errors()),
            (dir_ / "config").string() + ": error: cannot read the config file: it is a directory\n");
}

TEST_F(LoadSettingsFileTest, AnUnreadableFileIsOneClearError) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads files whatever their mode, so unreadable cannot be staged";
  const fs::path file = dir_ / "config/locked.yaml";
  std::ofstream(file) << kRequired;
  fs::permissions(file, fs::perms::none);
  auto r = load_settings_file(file, environment_from_map({}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(format_errors(r.errors()), file.string() + ": error: cannot read the config file: Permission denied\n");
}

TEST_F(LoadSettingsFileTest, PathsResolveAgainstTheFilesFolderWhateverTheWorkingDirectory) {
  std::ofstream(dir_ / "config/rifa.yaml")
      << "database:\n  url: sqlite3://../var/rifa.db\n  seed: ../seed\n"
      << "plugins:\n  search_path: [../plugins]\n  instances:\n"
      << "    mock: {library: lottery_mock, kind: lottery}\n"
      << "    sandbox: {library: payment_sandbox, kind: payment}\n"
      << "bindings:\n  defaults: {lottery: mock, payment: sandbox, notifiers: []}\n";
  fs::create_directories(dir_ / "plugins");
  std::ofstream(dir_ / "plugins/liblottery_mock.so") << "x";
  const fs::path old_cwd = fs::current_path();
  fs::current_path(dir_);
  auto r = load_settings_file("config/rifa.yaml", environment_from_map({}));
  fs::current_path(old_cwd);
  ASSERT_TRUE(r.ok()) << errors_of(r);
  const Settings& s = r.settings();
  EXPECT_EQ(s.config_file, fs::path("config/rifa.yaml"));
  EXPECT_EQ(s.base_dir, dir_ / "config");
  EXPECT_EQ(s.database.seed_dir, dir_ / "seed");
  EXPECT_EQ(s.plugins.instances[0].resolved_library_path, dir_ / "plugins/liblottery_mock.so");
  EXPECT_EQ(s.plugins.instances[1].resolved_library_path, dir_ / "plugins/libpayment_sandbox.so");
}

TEST_F(LoadSettingsFileTest, ErrorsNameTheFileAsGiven) {
  std::ofstream(dir_ / "config/bad.yaml") << "server:\n  prot: 8080\n";
  auto r = load_settings_file(dir_ / "config/bad.yaml", environment_from_map({}));
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.errors().size(), 4u);
  EXPECT_EQ(format(r.errors().back()),
            (dir_ / "config/bad.yaml").string() +
                ":2:3: error: server.prot: unknown key 'prot' (did you mean 'port'?; allowed: listen, port, "
                "io_threads, body_limit_bytes, read_cache_ms, cors_allowed_origins, rate_limit, max_connections, "
                "max_connections_per_ip, workers, queue_limit, request_timeout_ms, plugin_calls_per_instance, "
                "trusted_proxies, forwarded_header, web_root, live)");
}

}  // namespace
}  // namespace rifa::settings

namespace rifa::settings {
namespace {

// Issue 15: the tax section (retención en la fuente on prizes).
TEST(LoadSettingsTax, AbsentMeansNoWithholdingPresentReadsRateThresholdAndUvtByYear) {
  auto off = load_settings_text(kRequired, "test.yaml", "/srv", environment_from_map({}));
  ASSERT_TRUE(off.ok()) << errors_of(off);
  EXPECT_FALSE(off.settings().tax.enabled);
  EXPECT_FALSE(check_tax_year(off.settings(), 2031).has_value());  // nothing to check when disabled

  auto on = load(kRequired + "tax:\n  uvt:\n    2025: 49799\n    2026: 52374\n");
  ASSERT_TRUE(on.ok()) << errors_of(on);
  const auto& tax = on.settings().tax;
  EXPECT_TRUE(tax.enabled);
  EXPECT_EQ(tax.rate_bp, 2000);
  EXPECT_EQ(tax.threshold_uvt, 48);
  EXPECT_EQ(tax.uvt_pesos_by_year, (std::map<int, int64_t>{{2025, 49799}, {2026, 52374}}));
  EXPECT_FALSE(check_tax_year(on.settings(), 2026).has_value());
  auto missing = check_tax_year(on.settings(), 2027);
  ASSERT_TRUE(missing.has_value());
  // At tax.uvt's position: line 11 of the file (kRequired has 9), column 3.
  EXPECT_EQ(format(*missing).rfind("test.yaml:11:3: error: tax.uvt: no UVT value for 2027", 0), 0u) << format(*missing);

  auto custom = load(kRequired + "tax:\n  rate_bp: 1000\n  threshold_uvt: 10\n  uvt: {2030: 60000}\n");
  ASSERT_TRUE(custom.ok()) << errors_of(custom);
  EXPECT_EQ(custom.settings().tax.rate_bp, 1000);
  EXPECT_EQ(custom.settings().tax.threshold_uvt, 10);
}

TEST(LoadSettingsTax, MistakesAreReportedWithTheirPosition) {
  const std::string e = errors_of(load(kRequired + "tax:\n  rate_bp: 20001\n  uvt:\n    veinte: 5\n    2026: -1\n"));
  EXPECT_NE(e.find("test.yaml:11:12: error: tax.rate_bp"), std::string::npos) << e;
  EXPECT_NE(e.find("test.yaml:13:5: error: tax.uvt.veinte: expected a year"), std::string::npos) << e;
  EXPECT_NE(e.find("test.yaml:14:11: error: tax.uvt.2026"), std::string::npos) << e;
  const std::string none = errors_of(load(kRequired + "tax:\n  rate_bp: 2000\n"));
  EXPECT_NE(none.find("uvt"), std::string::npos) << none;
  const std::string typo = errors_of(load(kRequired + "tax:\n  uvt: {2026: 52374}\n  umbral_uvt: 48\n"));
  EXPECT_NE(typo.find("tax.umbral_uvt"), std::string::npos) << typo;
}

// Issue 13: payouts.approval_threshold_cents (cash prizes above it wait for an admin's approval).
TEST(LoadSettingsPayouts, AbsentMeansNoApprovalAndTheThresholdIsReadWithItsMistakesPlaced) {
  auto off = load_settings_text(kRequired, "test.yaml", "/srv", environment_from_map({}));
  ASSERT_TRUE(off.ok()) << errors_of(off);
  EXPECT_FALSE(off.settings().payouts.approval_threshold_cents.has_value());

  auto on = load(kRequired + "payouts:\n  approval_threshold_cents: 1000000000\n");
  ASSERT_TRUE(on.ok()) << errors_of(on);
  EXPECT_EQ(on.settings().payouts.approval_threshold_cents, 1000000000);

  const std::string negative = errors_of(load(kRequired + "payouts:\n  approval_threshold_cents: -1\n"));
  EXPECT_NE(negative.find("test.yaml:11:29: error: payouts.approval_threshold_cents"), std::string::npos) << negative;
  const std::string typo = errors_of(load(kRequired + "payouts:\n  approval_threshold: 5\n"));
  EXPECT_NE(typo.find("payouts.approval_threshold: unknown key 'approval_threshold' (did you mean "
                      "'approval_threshold_cents'?; allowed: approval_threshold_cents)"),
            std::string::npos)
      << typo;
}

}  // namespace
}  // namespace rifa::settings
