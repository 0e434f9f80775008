#pragma once

#include <cstddef>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rifa/lottery/draw_result.hpp"
#include "rifa/lottery/outcome.hpp"

namespace rifa::lottery {

/// How a plugin combines its ordered list of sources (the official site may refuse automated
/// clients, so a config can add mirrors or aggregators).
enum class SourcePolicy {
  /// Sources are asked in order; the first draw read wins.
  kFirstThatAnswers = 1,
  /// Sources are asked in order until two of them read the same draw (date, sorteo, numbers,
  /// series, extra); one source alone is not enough, so the draw counts as not published yet.
  kTwoThatAgree = 2,
};

/// "first_that_answers" / "two_that_agree" → policy; nullopt for anything else.
std::optional<SourcePolicy> parse_source_policy(std::string_view text);

/// What asking one source gave. `failure` holds the transport's exception (timeout, connection
/// refused, not recorded…) so that the plugin can rethrow it unchanged, status and all.
struct SourceAttempt {
  /// kSkipped: the source cannot be asked for this date (a per-draw page addressed by a sorteo the
  /// calendar does not give); it counts only when every source was skipped.
  enum class Kind { kOutcome = 1, kInfrastructure = 2, kSkipped = 3 };
  Kind kind = Kind::kOutcome;
  std::optional<Outcome> outcome;  ///< when kOutcome, and why when kSkipped
  std::exception_ptr failure;      ///< when kInfrastructure
  std::string failure_message;     ///< what() of `failure`, for combined messages
};

/// The verdict over every source asked: an Outcome, or the transport failure to rethrow.
struct SourceVerdict {
  std::optional<Outcome> outcome;
  std::exception_ptr failure;
};

/// True when two reads are the same draw: every field but source_url, raw_sha256 and the secos
/// (sources publish secos at different times).
bool same_draw(const DrawResult& a, const DrawResult& b);

/// Asks `ask(i)` for the sources named in `names`, in order, and combines the answers.
/// When no draw is accepted, the verdict is, in this order of precedence: a ValidationError (a
/// source printed something wrong: someone must look), NotPublished (ask again later), a
/// ParseError, then the last transport failure. With several sources the message lists what each
/// one said ("bogota: no source gave the draw: official: …; mirror: …"); with one source it is
/// that source's own message, unchanged. An exception thrown by `ask` ends the run and propagates
/// (a plugin lets a request the host refused outright, e.g. one never recorded, end the call).
SourceVerdict run_sources(std::string_view lottery, const std::vector<std::string>& names, SourcePolicy policy,
                          const std::function<SourceAttempt(std::size_t)>& ask);

}  // namespace rifa::lottery
