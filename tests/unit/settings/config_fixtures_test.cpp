// Every fixtures/config/invalid/NAME.yaml must fail with exactly the text of NAME.expected, and
// every fixtures/config/valid/*.yaml must load. Errors name the files relative to the repository
// root so the expected texts do not depend on where the checkout lives.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "settings/settings.hpp"

namespace rifa::settings {
namespace {

namespace fs = std::filesystem;

const fs::path kSourceDir = RIFA_SOURCE_DIR;

// The environment the fixtures were written against: one variable set, everything else unset.
Environment fixture_environment() { return environment_from_map({{"RIFA_FIXTURE_SECRET", "fixture-secret"}}); }

std::string read(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<fs::path> yaml_files(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

LoadResult load_fixture(const fs::path& file) {
  return load_settings_text(read(file), fs::relative(file, kSourceDir).string(), file.parent_path(),
                            fixture_environment());
}

TEST(ConfigFixtures, EachInvalidConfigFailsWithExactlyItsExpectedErrors) {
  const auto files = yaml_files(kSourceDir / "fixtures/config/invalid");
  ASSERT_GE(files.size(), 12u) << "fixtures/config/invalid should hold at least 12 broken configs";
  for (const auto& file : files) {
    SCOPED_TRACE(file.string());
    fs::path expected_file = file;
    expected_file.replace_extension(".expected");
    ASSERT_TRUE(fs::exists(expected_file)) << expected_file << " is missing";
    auto r = load_fixture(file);
    ASSERT_FALSE(r.ok()) << "loaded without errors";
    EXPECT_EQ(format_errors(r.errors()), read(expected_file));
  }
}

TEST(ConfigFixtures, EveryExpectedFileHasItsConfig) {
  for (const auto& entry : fs::directory_iterator(kSourceDir / "fixtures/config/invalid")) {
    if (entry.path().extension() != ".expected") continue;
    fs::path yaml = entry.path();
    yaml.replace_extension(".yaml");
    EXPECT_TRUE(fs::exists(yaml)) << entry.path() << " has no " << yaml.filename();
  }
}

TEST(ConfigFixtures, EachValidConfigLoads) {
  const auto files = yaml_files(kSourceDir / "fixtures/config/valid");
  ASSERT_GE(files.size(), 2u);
  for (const auto& file : files) {
    auto r = load_fixture(file);
    EXPECT_TRUE(r.ok()) << file << "\n" << (r.ok() ? "" : format_errors(r.errors()));
  }
}

TEST(ConfigFixtures, TheFullValidConfigLoadsEveryValue) {
  const fs::path file = kSourceDir / "fixtures/config/valid/full.yaml";
  auto r = load_fixture(file);
  ASSERT_TRUE(r.ok()) << format_errors(r.errors());
  const Settings& s = r.settings();
  const fs::path dir = file.parent_path();
  EXPECT_EQ(s.server.listen, "::1");
  EXPECT_EQ(s.server.port, 0);
  EXPECT_EQ(s.server.io_threads, 2);
  EXPECT_EQ(s.server.body_limit_bytes, 65536u);
  EXPECT_EQ(s.server.cors_allowed_origins, (std::vector<std::string>{"*", "https://app.example.com:8443"}));
  EXPECT_EQ(s.database.url, "postgresql://rifa:fixture-secret@127.0.0.1:5432/rifa?sslmode=disable");
  EXPECT_EQ(s.database.pool_size, 8);
  EXPECT_FALSE(s.database.migrate_on_start);
  EXPECT_EQ(s.database.seed_dir, kSourceDir / "fixtures/seed");
  EXPECT_EQ(s.secrets, (std::map<std::string, std::string, std::less<>>{{"jwt_secret", "fixture-secret"},
                                                                        {"webhook", "${NOT_EXPANDED}"}}));
  EXPECT_EQ(s.logging.level, "debug");
  EXPECT_EQ(s.logging.format, "text");
  EXPECT_EQ(s.plugins.search_path, (std::vector<fs::path>{dir / "plugins", "/opt/rifa/plugins"}));
  EXPECT_EQ(s.plugins.http.timeout_ms, 2500u);
  EXPECT_EQ(s.plugins.http.retries, 0);
  EXPECT_EQ(s.plugins.http.egress_allow, (std::vector<std::string>{"*", "*.baloto.com", "127.0.0.1"}));
  EXPECT_EQ(s.plugins.http.mode, TransportMode::kReplay);
  EXPECT_EQ(s.plugins.http.fixtures_dir, dir / "recorded");
  ASSERT_EQ(s.plugins.instances.size(), 4u);
  const auto& mock = s.plugins.instances[0];
  EXPECT_EQ(mock.config, nlohmann::json::parse(R"({"seed":42,"publish_delay_s":1.5,"strict":true,"missing":null,
                                                   "zip":"01234","draws":[1,"2",{"n":31}]})"));
  EXPECT_EQ(mock.resolved_library_path, dir / "plugins/liblottery_mock.so");
  EXPECT_EQ(mock.location.line, 28);
  EXPECT_EQ(s.plugins.instances[1].resolved_library_path, dir / "local/libpayment_sandbox.so");
  EXPECT_EQ(s.plugins.instances[1].config, nlohmann::json::parse(R"({"webhook_secret":"fixture-secret"})"));
  EXPECT_EQ(s.plugins.instances[2].config, nlohmann::json::object());
  EXPECT_EQ(s.plugins.instances[3].id, "email-2");
  EXPECT_EQ(s.bindings.defaults, (ResolvedBinding{"mock", "sandbox", {"log"}}));
  EXPECT_EQ(resolve_bindings(s.bindings, "", "Oro"), (ResolvedBinding{"mock", "sandbox", {"log", "email-2"}}));
  EXPECT_EQ(resolve_bindings(s.bindings, "6f1c2b9e-0d4a-4c1e-9f3b-2a7d5e8c1b40", "Oro"),
            (ResolvedBinding{"mock", "sandbox", {}}));
}

}  // namespace
}  // namespace rifa::settings
