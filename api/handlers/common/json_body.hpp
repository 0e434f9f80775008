#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "server/error_mapping.hpp"
#include "server/http_types.hpp"

namespace rifa::api {

enum class Presence { kRequired, kOptional };

// Deepest nesting a request body may have (the body object itself is level 1). Real bodies use
// four or five; the limit exists because copying or dumping a JSON tree recurses once per level,
// and 75,000 levels of `reglas` overflowed the stack.
inline constexpr int kMaxJsonDepth = 64;

// A strict reader of a JSON object request body. Every failure is a value, never a 500:
//  * a body whose Content-Type is not application/json
//    or application/<something>+json                     → kParse, answered 415 (body_problem);
//  * a body that is not JSON (or not UTF-8)              → kParse, answered 400 (body_problem);
//  * nested deeper than kMaxJsonDepth                    → kInvalidArgument naming the top-level
//                                                          member that nests (or "body"); refused
//                                                          before any tree is built;
//  * not an object                                        → kInvalidArgument, field "body";
//  * a wrong type, a non-integer or out-of-range number
//    (1e400, 2^63, negative where not allowed), a string
//    longer than its limit, a missing required member    → kInvalidArgument naming the field;
//  * a member nobody asked for                            → kInvalidArgument "<name>: unknown field".
// Getters after the first error return nullopt; finish() reports the first error.
class JsonBody {
 public:
  static Result<JsonBody> parse(const Request& request);

  std::optional<std::string> text(std::string_view key, Presence presence, size_t max_chars, size_t min_chars = 0);
  // Present null clears: outer nullopt = absent (or error), inner nullopt = null.
  std::optional<std::optional<std::string>> nullable_text(std::string_view key, size_t max_chars);
  std::optional<int64_t> integer(std::string_view key, Presence presence, int64_t min, int64_t max);
  std::optional<bool> boolean(std::string_view key, Presence presence);
  std::optional<nlohmann::json> object(std::string_view key, Presence presence);
  // A decimal sent either as a string ("0.2500") or as a JSON number (0.25): the text as written,
  // never the number after a round trip through a double, so the caller parses it exactly.
  std::optional<std::string> decimal_text(std::string_view key, Presence presence, size_t max_chars);

  bool failed() const { return error_.has_value(); }
  // The first error, else an unknown member, else success.
  Result<void> finish() const;

 private:
  JsonBody(nlohmann::json document, std::map<std::string, std::string, std::less<>> number_texts)
      : doc_(std::move(document)), number_texts_(std::move(number_texts)) {}
  const nlohmann::json* member(std::string_view key, Presence presence);
  void fail(std::string_view key, const std::string& message);

  nlohmann::json doc_;
  // The source text of each top-level member whose value is a number.
  std::map<std::string, std::string, std::less<>> number_texts_;
  std::set<std::string, std::less<>> seen_;
  std::optional<Error> error_;
};

// kInvalidArgument naming the top-level member (or "body") when `text` is JSON nested deeper than
// kMaxJsonDepth; nullopt otherwise, also when it is not JSON at all. For bodies handed on as text
// (webhooks go to their payment plugin, which parses and copies them).
std::optional<Error> json_nesting_error(std::string_view text);

// Which problem a kParse error of JsonBody::parse is: 415 unsupported-media-type or 400
// malformed-json. (kParse is the request parser's code; a dedicated ErrorCode would be cleaner but
// host/common/result.hpp is included by every file of the project.)
ProblemType body_problem(const Error& parse_error);

// The body's media type is JSON: application/json or application/<anything>+json, parameters
// (charset) ignored, case-insensitive.
bool is_json_media_type(std::string_view content_type);

}  // namespace rifa::api
