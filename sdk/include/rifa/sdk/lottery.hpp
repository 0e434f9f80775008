#pragma once
/// @file
/// Base class of lottery plugins and the answer type of a draw lookup.

#include <string>
#include <utility>

#include "rifa/sdk/error.hpp"
#include "rifa/sdk/plugin_base.hpp"

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

namespace rifa::sdk {

/// "The draw is not published yet": a normal answer, the host asks again later. `reason` (may be
/// empty) is passed to the host as the call's message, for its logs.
struct NotPublished {
  std::string reason;
};

/// What fetch_draw and parse_page return: a result (JSON text of the shape documented in abi.h and
/// sdk/ABI.md) or NotPublished. The constructors are implicit so that a plugin can
/// `return result_json;`, `return R"({"date": ...})";` or `return NotPublished{"..."};`.
class DrawAnswer {
 public:
  DrawAnswer(std::string result_json) : published_(true), text_(std::move(result_json)) {}               // NOLINT
  DrawAnswer(const char* result_json) : published_(true), text_(result_json ? result_json : "") {}       // NOLINT
  DrawAnswer(NotPublished not_published) : published_(false), text_(std::move(not_published.reason)) {}  // NOLINT

  bool published() const noexcept { return published_; }
  /// The result JSON; empty when not published.
  const std::string& result_json() const noexcept { return published_ ? text_ : empty(); }
  /// Why it is not published; empty when published.
  const std::string& reason() const noexcept { return published_ ? empty() : text_; }

 private:
  static const std::string& empty() noexcept {
    static const std::string value;
    return value;
  }
  bool published_;
  std::string text_;
};

/// A lottery plugin: reads the result of a draw. Errors are thrown as rifa::sdk::Error:
/// RIFA_ERR_PARSE when the page cannot be understood (say what was missing), RIFA_ERR_VALIDATION
/// when it was read but is inconsistent, RIFA_ERR_INVALID_ARGUMENT for a malformed date. Never
/// answer with a guessed value.
class LotteryPlugin : public PluginBase {
 public:
  static constexpr rifa_plugin_kind kKind = RIFA_KIND_LOTTERY;
  using PluginBase::PluginBase;

  /// The result of the draw held on `date_iso` ("YYYY-MM-DD", America/Bogota). Fetch through
  /// host().http() so that the host can record and replay the exchange.
  virtual DrawAnswer fetch_draw(const std::string& date_iso) = 0;

  /// Parses a page or response body fetch_draw would have read from `url` (replay, conformance).
  /// Must not make HTTP requests.
  virtual DrawAnswer parse_page(const std::string& date_iso, const std::string& url, const std::string& body) = 0;

  /// The draw schedule as JSON: {"timezone": "America/Bogota", "days": ["thursday"], "time":
  /// "22:30", "publish_delay_minutes": 60}. The default answers RIFA_ERR_UNSUPPORTED and the host
  /// then asks daily.
  virtual std::string schedule() { throw Error(RIFA_ERR_UNSUPPORTED, "this plugin publishes no schedule"); }

  /// Since ABI 1.1. The draws held on the dates from `from_iso` to `to_iso` ("YYYY-MM-DD", both
  /// inclusive, America/Bogota) by the lottery's own calendar (holidays and moved draws included),
  /// as a JSON array in date order: [{"date": "2025-12-26", "time": "22:30", "timezone":
  /// "America/Bogota"}]. Throw RIFA_ERR_INVALID_ARGUMENT for a malformed or reversed range. The
  /// default answers RIFA_ERR_UNSUPPORTED and the host then reads schedule()'s weekdays.
  virtual std::string draw_dates(const std::string& from_iso, const std::string& to_iso) {
    (void)from_iso;
    (void)to_iso;
    throw Error(RIFA_ERR_UNSUPPORTED, "this plugin publishes no draw calendar");
  }
};

}  // namespace rifa::sdk

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif
