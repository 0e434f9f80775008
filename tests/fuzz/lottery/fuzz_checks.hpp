#pragma once

#include <string>
#include <string_view>

#include "rifa/lottery/outcome.hpp"

// One entry per parser, with a fixed request, for the fuzzers; and the invariants any outcome
// must keep whatever the input.
namespace rifa::lottery::fuzz {

enum class Target {
  kBalotoListing = 1,
  kBalotoDrawPage,
  kBogotaResults,
  kValleTablaNormal,
  kValleHome,
  kResultadobaloto,
};

/// Parses `body` as `target` would, asking for `date_iso`.
Outcome run(Target target, std::string_view body, const std::string& date_iso);

/// "" when the outcome keeps the invariants (an Ok result passes its validator again, is dated
/// `date_iso`, carries the body's hash; a failure has a message starting with the lottery's
/// name); otherwise what broke.
std::string check_invariants(Target target, std::string_view body, const std::string& date_iso, const Outcome& outcome);

}  // namespace rifa::lottery::fuzz
