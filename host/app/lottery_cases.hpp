#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace rifa::app {

// A QA case: one recorded conversation of a lottery plugin plus the outcome it must produce.
// Stored as a folder holding a cassette (exchanges.json + body files) and case.json:
//
//   {"library": "lottery_bogota",            plugin library (bare name or path)
//    "config": {...},                        instance config
//    "date": "2026-01-22",                   the draw date asked for
//    "description": "normal Thursday draw",
//    "expected": {"status": "ok",            ok | not_published | parse | validation | timeout |
//                                            transport | not_recorded | invalid_argument
//                 "result": {...},           for ok: every key given must equal the plugin's
//                 "error_contains": "..."}}  for errors: a substring of the message
struct LotteryCase {
  std::filesystem::path dir;
  std::string name;  // dir relative to the root it was found under
  std::string library;
  nlohmann::json config = nlohmann::json::object();
  std::string date;
  std::string description;
  nlohmann::json expected;
};

struct CaseOutcome {
  std::string expected;  // short text for the table
  std::string got;
  bool passed = false;
  std::string detail;  // why it failed
};

// Finds every case.json under `root` (sorted). Errors name the file.
Result<std::vector<LotteryCase>> find_lottery_cases(const std::filesystem::path& root);

// Runs one case offline: loads the library (resolved through `search_path` when bare), creates the
// instance with a replay transport on the case's cassette, asks for the draw and compares.
CaseOutcome run_lottery_case(const LotteryCase& c, const std::vector<std::filesystem::path>& search_path,
                             const std::optional<std::filesystem::path>& library_override = std::nullopt);

// Runs every case under `root`, prints a table (case, expected, got, PASS/FAIL) and returns the
// number of failures.
int run_lottery_cases(const std::filesystem::path& root, const std::vector<std::filesystem::path>& search_path,
                      std::ostream& out,
                      const std::optional<std::filesystem::path>& library_override = std::nullopt);

// Resolves a bare library name ("lottery_bogota") to lib<name>.so in the search path; a name
// with a '/' is a path.
std::filesystem::path resolve_library(const std::string& library, const std::vector<std::filesystem::path>& search_path);

}  // namespace rifa::app
