#include <stdexcept>

#include <gtest/gtest.h>

#include "rifa/lottery/source_policy.hpp"

namespace rifa::lottery {
namespace {

DrawResult draw(const std::string& number, const std::string& url) {
  DrawResult d;
  d.date = "2025-10-30";
  d.draw_number = "2818";
  d.numbers = {number};
  d.series = "193";
  d.source_url = url;
  d.raw_sha256 = url;  // differs per source on purpose: not part of the comparison
  return d;
}

SourceAttempt outcome(Outcome o) {
  SourceAttempt a;
  a.outcome = std::move(o);
  return a;
}

SourceAttempt transport(const std::string& message) {
  SourceAttempt a;
  a.kind = SourceAttempt::Kind::kInfrastructure;
  a.failure = std::make_exception_ptr(std::runtime_error(message));
  a.failure_message = message;
  return a;
}

SourceAttempt skipped(Outcome why) {
  SourceAttempt a;
  a.kind = SourceAttempt::Kind::kSkipped;
  a.outcome = std::move(why);
  return a;
}

const std::vector<std::string> kTwo = {"a", "b"};

TEST(SourcePolicy, ParsesTheTwoNames) {
  EXPECT_EQ(parse_source_policy("first_that_answers"), SourcePolicy::kFirstThatAnswers);
  EXPECT_EQ(parse_source_policy("two_that_agree"), SourcePolicy::kTwoThatAgree);
  EXPECT_EQ(parse_source_policy("first"), std::nullopt);
}

TEST(SourcePolicy, FirstThatAnswersStopsAtTheFirstDraw) {
  int asked = 0;
  const auto verdict = run_sources("bogota", kTwo, SourcePolicy::kFirstThatAnswers, [&](std::size_t) {
    ++asked;
    return outcome(Outcome::ok(draw("4913", "u1")));
  });
  EXPECT_EQ(asked, 1);
  ASSERT_TRUE(verdict.outcome.has_value());
  EXPECT_EQ(verdict.outcome->draw().source_url, "u1");
}

TEST(SourcePolicy, FirstThatAnswersFallsBackPastAFailure) {
  const auto verdict = run_sources("bogota", kTwo, SourcePolicy::kFirstThatAnswers, [&](std::size_t i) {
    return i == 0 ? transport("GET u1: timeout") : outcome(Outcome::ok(draw("4913", "u2")));
  });
  ASSERT_TRUE(verdict.outcome.has_value());
  EXPECT_EQ(verdict.outcome->draw().source_url, "u2");
}

TEST(SourcePolicy, TwoThatAgreeKeepsTheFirstOfTheAgreeingPair) {
  const auto verdict = run_sources("bogota", kTwo, SourcePolicy::kTwoThatAgree, [&](std::size_t i) {
    return outcome(Outcome::ok(draw("4913", i == 0 ? "u1" : "u2")));
  });
  ASSERT_TRUE(verdict.outcome.has_value());
  ASSERT_TRUE(verdict.outcome->is_ok());
  EXPECT_EQ(verdict.outcome->draw().source_url, "u1");
}

TEST(SourcePolicy, TwoThatAgreeRefusesADisagreement) {
  const auto verdict = run_sources("bogota", kTwo, SourcePolicy::kTwoThatAgree, [&](std::size_t i) {
    return outcome(Outcome::ok(draw(i == 0 ? "4913" : "4931", "u")));
  });
  ASSERT_TRUE(verdict.outcome.has_value());
  EXPECT_EQ(verdict.outcome->kind(), OutcomeKind::kValidationError);
  EXPECT_EQ(verdict.outcome->message(),
            "bogota: the sources disagree: a: sorteo 2818 of 2025-10-30: 4913 serie 193; "
            "b: sorteo 2818 of 2025-10-30: 4931 serie 193");
}

TEST(SourcePolicy, TwoThatAgreeWaitsWhenOnlyOneSourceAnswers) {
  const auto verdict = run_sources("bogota", kTwo, SourcePolicy::kTwoThatAgree, [&](std::size_t i) {
    return i == 0 ? outcome(Outcome::ok(draw("4913", "u1"))) : transport("GET u2: HTTP 403");
  });
  ASSERT_TRUE(verdict.outcome.has_value());
  EXPECT_EQ(verdict.outcome->kind(), OutcomeKind::kNotPublished);
  EXPECT_EQ(verdict.outcome->message(),
            "bogota: only a gave the draw (sorteo 2818 of 2025-10-30: 4913 serie 193); "
            "policy two_that_agree waits for a second source");
}

TEST(SourcePolicy, ValidationOutranksNotPublishedOutranksParse) {
  const std::vector<std::string> three = {"a", "b", "c"};
  auto verdict = run_sources("valle", three, SourcePolicy::kFirstThatAnswers, [&](std::size_t i) {
    if (i == 0) return outcome(Outcome::parse_error("p"));
    if (i == 1) return outcome(Outcome::validation_error("v"));
    return outcome(Outcome::not_published("n"));
  });
  EXPECT_EQ(verdict.outcome->kind(), OutcomeKind::kValidationError);
  EXPECT_EQ(verdict.outcome->message(), "valle: a source printed a draw that must not be used: a: p; b: v; c: n");

  verdict = run_sources("valle", kTwo, SourcePolicy::kFirstThatAnswers, [&](std::size_t i) {
    return i == 0 ? outcome(Outcome::parse_error("p")) : outcome(Outcome::not_published("n"));
  });
  EXPECT_EQ(verdict.outcome->kind(), OutcomeKind::kNotPublished);
  EXPECT_EQ(verdict.outcome->message(), "valle: no source has the draw yet: a: p; b: n");

  verdict = run_sources("valle", kTwo, SourcePolicy::kFirstThatAnswers,
                        [&](std::size_t i) { return i == 0 ? outcome(Outcome::parse_error("p")) : transport("t"); });
  EXPECT_EQ(verdict.outcome->kind(), OutcomeKind::kParseError);
  EXPECT_EQ(verdict.outcome->message(), "valle: no source could be read: a: p; b: t");
}

TEST(SourcePolicy, OneSourceKeepsItsOwnMessage) {
  const auto verdict = run_sources("valle", {"a"}, SourcePolicy::kFirstThatAnswers, [&](std::size_t) {
    return outcome(Outcome::parse_error("valle home: no 'Serie'"));
  });
  EXPECT_EQ(verdict.outcome->message(), "valle home: no 'Serie'");
}

TEST(SourcePolicy, TransportFailuresAreHandedBackForRethrowing) {
  const auto verdict = run_sources("valle", kTwo, SourcePolicy::kFirstThatAnswers,
                                   [&](std::size_t i) { return transport(i == 0 ? "first" : "last"); });
  EXPECT_FALSE(verdict.outcome.has_value());
  ASSERT_TRUE(verdict.failure);
  try {
    std::rethrow_exception(verdict.failure);
  } catch (const std::runtime_error& e) { EXPECT_STREQ(e.what(), "last"); }
}

TEST(SourcePolicy, SkippedSourcesCountOnlyWhenAllAreSkipped) {
  auto verdict = run_sources("baloto", kTwo, SourcePolicy::kFirstThatAnswers, [&](std::size_t i) {
    return i == 0 ? transport("timeout") : skipped(Outcome::validation_error("baloto: not a draw day"));
  });
  EXPECT_FALSE(verdict.outcome.has_value());
  EXPECT_TRUE(verdict.failure);

  verdict = run_sources("baloto", kTwo, SourcePolicy::kFirstThatAnswers,
                        [&](std::size_t) { return skipped(Outcome::validation_error("baloto: not a draw day")); });
  ASSERT_TRUE(verdict.outcome.has_value());
  EXPECT_EQ(verdict.outcome->kind(), OutcomeKind::kValidationError);
  EXPECT_EQ(verdict.outcome->message(), "baloto: not a draw day");
}

}  // namespace
}  // namespace rifa::lottery
