#include "settings/environment.hpp"

#include <gtest/gtest.h>

namespace rifa::settings {
namespace {

const Environment kEnv = environment_from_map({{"HOST", "db.internal"}, {"EMPTY", ""}, {"PORT", "5432"}});

std::string expand_ok(std::string_view text) {
  auto r = expand_environment(text, kEnv);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : "";
}

std::string expand_error(std::string_view text) {
  auto r = expand_environment(text, kEnv);
  EXPECT_FALSE(r.ok());
  if (r.ok()) return "";
  EXPECT_EQ(r.error().code, ErrorCode::kConfigInvalid);
  return r.error().message;
}

TEST(ExpandEnvironment, LeavesTextWithoutReferencesAlone) {
  EXPECT_EQ(expand_ok("plain $HOST text $ {x}"), "plain $HOST text $ {x}");
  EXPECT_EQ(expand_ok(""), "");
}

TEST(ExpandEnvironment, ReplacesEveryReference) {
  EXPECT_EQ(expand_ok("${HOST}"), "db.internal");
  EXPECT_EQ(expand_ok("postgresql://u@${HOST}:${PORT}/rifa"), "postgresql://u@db.internal:5432/rifa");
}

TEST(ExpandEnvironment, DefaultAppliesWhenUnsetOrEmpty) {
  EXPECT_EQ(expand_ok("${MISSING:-fallback-1}"), "fallback-1");
  EXPECT_EQ(expand_ok("${EMPTY:-fallback-2}"), "fallback-2");
  EXPECT_EQ(expand_ok("${HOST:-unused}"), "db.internal");
  EXPECT_EQ(expand_ok("${MISSING:-}"), "");
  EXPECT_EQ(expand_ok("${MISSING:-a:-b}"), "a:-b");
}

TEST(ExpandEnvironment, SetButEmptyWithoutDefaultIsEmpty) { EXPECT_EQ(expand_ok("[${EMPTY}]"), "[]"); }

TEST(ExpandEnvironment, DoubleDollarEscapesAReference) {
  EXPECT_EQ(expand_ok("$${HOST}"), "${HOST}");
  // Only "$${" is an escape: a lone '$' before it stays as it is.
  EXPECT_EQ(expand_ok("$$${HOST}"), "$${HOST}");
  EXPECT_EQ(expand_ok("pa$$word"), "pa$$word");
}

TEST(ExpandEnvironment, UnsetVariableWithoutDefaultIsAnError) {
  EXPECT_EQ(expand_error("x-${RIFA_X}-y"), "environment variable RIFA_X is not set");
}

TEST(ExpandEnvironment, MalformedReferencesAreErrors) {
  EXPECT_EQ(expand_error("${HOST"), "unterminated '${' in '${HOST' (expected '}')");
  EXPECT_EQ(expand_error("${}"), "invalid environment variable reference '${}' (expected ${NAME} or ${NAME:-default})");
  EXPECT_EQ(expand_error("${9LIVES}"),
            "invalid environment variable reference '${9LIVES}' (expected ${NAME} or ${NAME:-default})");
  EXPECT_EQ(expand_error("${A-B}"),
            "invalid environment variable reference '${A-B}' (expected ${NAME} or ${NAME:-default})");
}

TEST(ExpandEnvironment, NoEnvironmentMeansEverythingIsUnset) {
  auto r = expand_environment("${HOME}", Environment{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "environment variable HOME is not set");
}

TEST(ProcessEnvironment, ReadsTheRealEnvironment) {
  ::setenv("RIFA_SETTINGS_TEST_VAR", "from-process", 1);
  auto env = process_environment();
  EXPECT_EQ(env("RIFA_SETTINGS_TEST_VAR"), std::optional<std::string>("from-process"));
  ::unsetenv("RIFA_SETTINGS_TEST_VAR");
  EXPECT_EQ(env("RIFA_SETTINGS_TEST_VAR"), std::nullopt);
}

}  // namespace
}  // namespace rifa::settings
