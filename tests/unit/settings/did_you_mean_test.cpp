#include "settings/did_you_mean.hpp"

#include <gtest/gtest.h>

namespace rifa::settings {
namespace {

const std::vector<std::string> kInstanceKeys = {"library", "kind", "config"};

TEST(EditDistance, CountsInsertionsDeletionsSubstitutionsAndTranspositions) {
  EXPECT_EQ(edit_distance("port", "port"), 0u);
  EXPECT_EQ(edit_distance("prot", "port"), 1u);  // one transposition
  EXPECT_EQ(edit_distance("kindd", "kind"), 1u);
  EXPECT_EQ(edit_distance("lotery", "lottery"), 1u);
  EXPECT_EQ(edit_distance("jsn", "json"), 1u);
  EXPECT_EQ(edit_distance("Port", "port"), 0u);  // case-insensitive
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("sevrer", "server"), 1u);
  EXPECT_EQ(edit_distance("abc", "xyz"), 3u);
}

TEST(DidYouMean, PicksTheNearestWithinTwoEdits) {
  EXPECT_EQ(did_you_mean("kindd", kInstanceKeys), "kind");
  EXPECT_EQ(did_you_mean("librray", kInstanceKeys), "library");
  EXPECT_EQ(did_you_mean("confgi", kInstanceKeys), "config");
  EXPECT_EQ(did_you_mean("secret", kInstanceKeys), std::nullopt);
}

TEST(DidYouMean, FallsBackToAPrefix) {
  EXPECT_EQ(did_you_mean("lib", kInstanceKeys), "library");
  EXPECT_EQ(did_you_mean("cors", {"port", "cors_allowed_origins"}), "cors_allowed_origins");
}

TEST(DidYouMean, AShortWordDoesNotMatchEverything) {
  EXPECT_EQ(did_you_mean("x", {"io", "ab"}), std::nullopt);
  EXPECT_EQ(did_you_mean("", kInstanceKeys), std::nullopt);
}

TEST(DidYouMean, TiesGoToTheEarlierCandidate) { EXPECT_EQ(did_you_mean("lof", {"log", "lot"}), "log"); }

TEST(SuggestionNote, ListsTheAllowedValuesWithOrWithoutAGuess) {
  EXPECT_EQ(suggestion_note("kindd", kInstanceKeys), "(did you mean 'kind'?; allowed: library, kind, config)");
  EXPECT_EQ(suggestion_note("zzz", kInstanceKeys), "(allowed: library, kind, config)");
  EXPECT_EQ(suggestion_note("mok", {"mock", "log"}, "instances"), "(did you mean 'mock'?; instances: mock, log)");
}

}  // namespace
}  // namespace rifa::settings
