#include "settings/plugin_library_path.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace rifa::settings {
namespace {

namespace fs = std::filesystem;

class PluginLibraryPathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("rifa-settings-libpath-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    for (auto d : {"env", "config/plugins", "config/more"}) fs::create_directories(root_ / d);
  }
  void TearDown() override { fs::remove_all(root_); }
  void touch(const fs::path& p) { std::ofstream(root_ / p) << "not really a library"; }

  fs::path root_;
};

TEST_F(PluginLibraryPathTest, FileNameOfABareName) {
  EXPECT_EQ(plugin_file_name("lottery_mock"), "liblottery_mock.so");
  EXPECT_EQ(plugin_file_name("custom.so"), "custom.so");
}

TEST_F(PluginLibraryPathTest, EnvironmentFoldersComeFirstThenConfiguredOnesResolvedAgainstTheConfigFolder) {
  auto env = environment_from_map({{"RIFA_PLUGIN_PATH", (root_ / "env").string() + "::relative/dir"}});
  const auto path = plugin_search_path(env, {"plugins", "../config/more", "/abs/plugins"}, root_ / "config");
  EXPECT_EQ(path, (std::vector<fs::path>{root_ / "env", "relative/dir", root_ / "config/plugins", root_ / "config/more",
                                         "/abs/plugins"}));
  EXPECT_EQ(plugin_search_path(environment_from_map({}), {}, root_), std::vector<fs::path>{});
}

TEST_F(PluginLibraryPathTest, ABareNameIsTheFirstFolderHoldingItsFile) {
  touch("config/more/liblottery_mock.so");
  touch("env/liblottery_mock.so");
  const std::vector<fs::path> path = {root_ / "config/plugins", root_ / "config/more", root_ / "env"};
  EXPECT_EQ(resolve_plugin_library("lottery_mock", path, root_), root_ / "config/more/liblottery_mock.so");
  const std::vector<fs::path> env_first = {root_ / "env", root_ / "config/more"};
  EXPECT_EQ(resolve_plugin_library("lottery_mock", env_first, root_), root_ / "env/liblottery_mock.so");
}

TEST_F(PluginLibraryPathTest, ABareNameFoundNowhereIsExpectedInTheFirstFolder) {
  const std::vector<fs::path> path = {root_ / "config/plugins", root_ / "env"};
  EXPECT_EQ(resolve_plugin_library("lottery_ghost", path, root_), root_ / "config/plugins/liblottery_ghost.so");
  EXPECT_EQ(resolve_plugin_library("lottery_ghost", {}, root_), fs::path());
}

TEST_F(PluginLibraryPathTest, ANameWithASlashIsAPathRelativeToTheConfigFolder) {
  EXPECT_EQ(resolve_plugin_library("./plugins/libx.so", {root_ / "env"}, root_ / "config"),
            root_ / "config/plugins/libx.so");
  EXPECT_EQ(resolve_plugin_library("../elsewhere/libx.so", {}, root_ / "config"), root_ / "elsewhere/libx.so");
  EXPECT_EQ(resolve_plugin_library("/opt/rifa/libx.so", {}, root_), fs::path("/opt/rifa/libx.so"));
}

}  // namespace
}  // namespace rifa::settings
