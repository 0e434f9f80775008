// The configs shipped in config/ must load: rifa.yaml with no environment at all (it is what
// `bash scripts/run.sh` serves with), postgres.example.yaml once its variables are set.
#include <gtest/gtest.h>

#include "settings/settings.hpp"

namespace rifa::settings {
namespace {

namespace fs = std::filesystem;

const fs::path kSourceDir = RIFA_SOURCE_DIR;

TEST(ExampleConfigs, TheDefaultConfigLoadsWithAnEmptyEnvironment) {
  auto r = load_settings_file(kSourceDir / "config/rifa.yaml", environment_from_map({}));
  ASSERT_TRUE(r.ok()) << format_errors(r.errors());
  const Settings& s = r.settings();
  EXPECT_EQ(s.base_dir, kSourceDir / "config");
  EXPECT_EQ(s.server.listen, "127.0.0.1");
  EXPECT_EQ(s.server.port, 8080);
  // var/rifa.db at the repository root, once storage resolves it against base_dir.
  EXPECT_EQ(s.database.url, "sqlite3://../var/rifa.db");
  EXPECT_EQ((s.base_dir / "../var/rifa.db").lexically_normal(), kSourceDir / "var/rifa.db");
  EXPECT_TRUE(s.database.migrate_on_start);
  EXPECT_EQ(s.database.seed_dir, kSourceDir / "fixtures/seed");
  EXPECT_EQ(s.secrets.at("jwt_secret"), "dev-only-insecure-jwt-secret");
  EXPECT_EQ(s.plugins.search_path, std::vector<fs::path>{kSourceDir / "build/plugins"});
  ASSERT_EQ(s.plugins.instances.size(), 3u);
  EXPECT_EQ(s.plugins.instances[0].id, "mock");
  EXPECT_EQ(s.plugins.instances[0].kind, PluginKind::kLottery);
  EXPECT_EQ(s.plugins.instances[1].id, "sandbox");
  EXPECT_EQ(s.plugins.instances[1].config, nlohmann::json::parse(R"({"webhook_secret":"dev-only-sandbox-secret"})"));
  EXPECT_EQ(s.plugins.instances[2].id, "log");
  EXPECT_EQ(s.plugins.instances[2].kind, PluginKind::kNotifier);
  EXPECT_EQ(s.bindings.defaults, (ResolvedBinding{"mock", "sandbox", {"log"}}));
}

TEST(ExampleConfigs, TheDefaultConfigTakesSecretsFromTheEnvironmentWhenSet) {
  auto r = load_settings_file(
      kSourceDir / "config/rifa.yaml",
      environment_from_map({{"RIFA_JWT_SECRET", "from-env"}, {"RIFA_SANDBOX_WEBHOOK_SECRET", "hook-from-env"}}));
  ASSERT_TRUE(r.ok()) << format_errors(r.errors());
  EXPECT_EQ(r.settings().secrets.at("jwt_secret"), "from-env");
  EXPECT_EQ(r.settings().plugins.instances[1].config["webhook_secret"], "hook-from-env");
}

TEST(ExampleConfigs, ThePostgresExampleLoadsOnceItsVariablesAreSet) {
  auto r = load_settings_file(kSourceDir / "config/postgres.example.yaml",
                              environment_from_map({{"RIFA_DATABASE_URL", "postgresql://rifa:pw@db:5432/rifa"},
                                                    {"RIFA_JWT_SECRET", "jwt"},
                                                    {"RIFA_SANDBOX_WEBHOOK_SECRET", "hook"}}));
  ASSERT_TRUE(r.ok()) << format_errors(r.errors());
  const Settings& s = r.settings();
  EXPECT_EQ(s.database.url, "postgresql://rifa:pw@db:5432/rifa");
  EXPECT_EQ(s.server.listen, "0.0.0.0");
  EXPECT_EQ(s.server.port, 8080);
  EXPECT_EQ(s.server.trusted_proxies, (std::vector<std::string>{"127.0.0.1", "10.0.0.0/24"}));
  EXPECT_FALSE(s.database.migrate_on_start);
  EXPECT_EQ(s.bindings.defaults.lottery, "baloto");
  EXPECT_EQ(resolve_bindings(s.bindings, "0b8e6c52-4f1d-4a57-9d0e-3c2a1f7e9b64", "Oro"),
            (ResolvedBinding{"baloto", "sandbox", {}}));
}

TEST(ExampleConfigs, ThePostgresExampleNamesEveryMissingVariable) {
  const fs::path file = kSourceDir / "config/postgres.example.yaml";
  auto r = load_settings_file(file, environment_from_map({}));
  ASSERT_FALSE(r.ok());
  const std::string name = file.string();
  EXPECT_EQ(format_errors(r.errors()),
            name + ":19:8: error: database.url: environment variable RIFA_DATABASE_URL is not set\n" + name +
                ":24:15: error: secrets.jwt_secret: environment variable RIFA_JWT_SECRET is not set\n" + name +
                ":47:32: error: plugins.instances.sandbox.config.webhook_secret: environment variable "
                "RIFA_SANDBOX_WEBHOOK_SECRET is not set\n");
}

}  // namespace
}  // namespace rifa::settings
