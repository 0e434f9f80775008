#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "plugin_runtime/http_transport.hpp"

namespace rifa::app {

// A QA case: one recorded conversation of a lottery plugin plus the outcome it must produce.
// Stored as a folder holding a cassette (exchanges.json + body files) and case.json:
//
//   {"library": "lottery_bogota",            plugin library (bare name or path)
//    "config": {...},                        instance config
//    "date": "2026-01-22",                   the draw date asked for
//    "now": "2026-01-23T12:00:00.000Z",      the instant the case was taken: the plugin's clock
//                                            (host().now_unix_ms()) is frozen there when it runs;
//                                            absent in older cases: the host's real clock
//    "description": "normal Thursday draw",
//    "expected": {"status": "ok",            ok | not_published | not_found | parse | validation |
//                                            timeout | transport | not_recorded | invalid_argument
//                 "result": {...},           for ok: every key given must equal the plugin's
//                 "error_contains": "..."}}  for errors: a substring of the message
struct LotteryCase {
  std::filesystem::path dir;
  std::string name;  // dir relative to the root it was found under
  std::string library;
  nlohmann::json config = nlohmann::json::object();
  std::string date;
  std::optional<int64_t> now_unix_ms;  // "now"; nullopt: the real clock
  std::string description;
  nlohmann::json expected;
};

// How cases run: where bare library names are found, which library to use instead (the one under
// `plugins check`: then only the cases naming it run, the others are listed as skipped), and the
// host's real clock (for cases without "now"; the system clock when empty: tests move it).
struct CaseRunOptions {
  std::vector<std::filesystem::path> search_path;
  std::optional<std::filesystem::path> library_override;
  std::function<int64_t()> real_clock_ms;
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
// instance with a replay transport on the case's cassette and its clock frozen at the case's
// "now", asks for the draw and compares.
CaseOutcome run_lottery_case(const LotteryCase& c, const CaseRunOptions& options);

// Runs every case under `root`, prints a table (case, expected, got, PASS/FAIL/SKIP) and returns
// the number of failures. With a library_override, a case naming another library is a SKIP.
int run_lottery_cases(const std::filesystem::path& root, const CaseRunOptions& options, std::ostream& out);

// True when case library `library` (bare name, lib<name>.so or a path) names the file `path`.
bool case_names_library(const std::string& library, const std::filesystem::path& path);

// How every kind of case compares an answer with what it expects: each key of `expected` must be
// in `got` with the same value (objects compared key by key, keys not given are not compared).
// Returns "" when they agree, else the first difference ("result.series: expected \"007\", got
// \"070\"").
std::string first_mismatch(const nlohmann::json& expected, const nlohmann::json& got, const std::string& path);

// Every case.json under `root` (payment and notifier cases), sorted; empty when there is none or
// `root` cannot be read.
std::vector<std::filesystem::path> find_case_files(const std::filesystem::path& root);

// The verdict on one payment or notifier case: whether it passed, what the plugin did, and why it
// failed (when it passed, run_case_files puts the case's description there).
struct CaseVerdict {
  bool passed = false;
  std::string got;
  std::string detail;
};

// Runs every case.json under `root` through `run` (payment and notifier cases), printing a PASS,
// FAIL (with why) or SKIP line each and a summary; returns the number of failures. With a
// library_override, a case naming another library is a SKIP, and none for it at all is a failure.
int run_case_files(const std::filesystem::path& root, const std::optional<std::filesystem::path>& library_override,
                   std::ostream& out,
                   const std::function<CaseVerdict(const std::filesystem::path& dir, const nlohmann::json& doc)>& run);

// "now" of a case: ISO-8601 UTC with milliseconds ("2026-01-23T12:00:00.000Z").
std::string format_case_now(int64_t unix_ms);

// What `record` needs: the instance (id, library as configured and as resolved, config), the date,
// the instant the case is taken and the live transport the exchanges are recorded from.
struct RecordRequest {
  std::filesystem::path dir;  // fixtures/lotteries/<plugin>/<case>
  std::string instance_id;
  std::string library;  // as the config names it; written into case.json
  std::filesystem::path library_path;
  nlohmann::json config = nlohmann::json::object();
  std::string date;
  int64_t now_unix_ms = 0;
  std::shared_ptr<plugin_runtime::HttpTransport> live;
};

// `record`: asks the plugin for the draw of `date` through a recording transport over `live`, with
// the plugin's clock frozen at `now_unix_ms` (the same instant replay will freeze it at), and
// writes `dir`/case.json with "now" and what the plugin answered. Returns case.json.
Result<nlohmann::json> record_lottery_case(const RecordRequest& request);

// Resolves a bare library name ("lottery_bogota") to lib<name>.so in the search path; a name
// with a '/' is a path.
std::filesystem::path resolve_library(const std::string& library,
                                      const std::vector<std::filesystem::path>& search_path);

}  // namespace rifa::app
