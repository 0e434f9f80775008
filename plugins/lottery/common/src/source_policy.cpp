#include "rifa/lottery/source_policy.hpp"

namespace rifa::lottery {
namespace {

std::string describe_draw(const DrawResult& draw) {
  std::string text = "sorteo " + draw.draw_number + " of " + draw.date + ":";
  for (const auto& number : draw.numbers) text += " " + number;
  if (draw.series) text += " serie " + *draw.series;
  for (const auto& [name, value] : draw.extra) text += " " + name + " " + value;
  return text;
}

// The messages of every source, each tagged with its name; one source keeps its message as is.
std::string combined(std::string_view lottery, const std::vector<std::string>& names,
                     const std::vector<std::string>& messages, std::string_view headline) {
  if (messages.size() == 1) return messages.front();
  std::string text = std::string(lottery) + ": " + std::string(headline) + ":";
  for (std::size_t i = 0; i < messages.size(); ++i) { text += (i == 0 ? " " : "; ") + names[i] + ": " + messages[i]; }
  return text;
}

}  // namespace

std::optional<SourcePolicy> parse_source_policy(std::string_view text) {
  if (text == "first_that_answers") return SourcePolicy::kFirstThatAnswers;
  if (text == "two_that_agree") return SourcePolicy::kTwoThatAgree;
  return std::nullopt;
}

bool same_draw(const DrawResult& a, const DrawResult& b) {
  return a.date == b.date && a.draw_number == b.draw_number && a.numbers == b.numbers && a.series == b.series &&
         a.extra == b.extra;
}

SourceVerdict run_sources(std::string_view lottery, const std::vector<std::string>& names, SourcePolicy policy,
                          const std::function<SourceAttempt(std::size_t)>& ask) {
  std::vector<std::string> messages;
  std::vector<std::size_t> read;  // indexes of sources that gave a draw
  std::vector<DrawResult> draws;
  bool any_validation = false;
  bool any_not_published = false;
  bool any_parse = false;
  std::exception_ptr last_failure;
  std::optional<Outcome> first_skipped;
  std::size_t skipped = 0;

  for (std::size_t i = 0; i < names.size(); ++i) {
    SourceAttempt attempt = ask(i);
    if (attempt.kind == SourceAttempt::Kind::kSkipped) {
      if (!first_skipped) first_skipped = attempt.outcome;
      ++skipped;
      messages.push_back(attempt.outcome->message());
      continue;
    }
    if (attempt.kind == SourceAttempt::Kind::kInfrastructure) {
      last_failure = attempt.failure;
      messages.push_back(attempt.failure_message);
      continue;
    }
    const Outcome& outcome = *attempt.outcome;
    switch (outcome.kind()) {
      case OutcomeKind::kOk: {
        if (policy == SourcePolicy::kFirstThatAnswers) return {outcome, nullptr};
        for (const auto& earlier : draws) {
          if (same_draw(earlier, outcome.draw())) return {Outcome::ok(earlier), nullptr};
        }
        read.push_back(i);
        draws.push_back(outcome.draw());
        messages.push_back(describe_draw(outcome.draw()));
        continue;
      }
      case OutcomeKind::kNotPublished: any_not_published = true; break;
      case OutcomeKind::kParseError: any_parse = true; break;
      case OutcomeKind::kValidationError: any_validation = true; break;
    }
    messages.push_back(outcome.message());
  }

  if (skipped == names.size() && first_skipped) return {first_skipped, nullptr};
  if (draws.size() >= 2) {
    return {Outcome::validation_error(combined(lottery, names, messages, "the sources disagree")), nullptr};
  }
  if (any_validation) {
    return {
        Outcome::validation_error(combined(lottery, names, messages, "a source printed a draw that must not be used")),
        nullptr};
  }
  if (draws.size() == 1) {
    return {Outcome::not_published(std::string(lottery) + ": only " + names[read.front()] + " gave the draw (" +
                                   describe_draw(draws.front()) + "); policy two_that_agree waits for a second source"),
            nullptr};
  }
  if (any_not_published) {
    return {Outcome::not_published(combined(lottery, names, messages, "no source has the draw yet")), nullptr};
  }
  if (any_parse) {
    return {Outcome::parse_error(combined(lottery, names, messages, "no source could be read")), nullptr};
  }
  if (last_failure) return {std::nullopt, last_failure};
  return {Outcome::parse_error(std::string(lottery) + ": no source configured"), nullptr};
}

}  // namespace rifa::lottery
