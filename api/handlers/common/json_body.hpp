#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace rifa::api {

enum class Presence { kRequired, kOptional };

// A strict reader of a JSON object request body. Every failure is a value, never a 500:
//  * a body that is not JSON (or not UTF-8)              → kParse (answered 400);
//  * not an object                                        → kInvalidArgument, field "body";
//  * a wrong type, a non-integer or out-of-range number
//    (1e400, 2^63, negative where not allowed), a string
//    longer than its limit, a missing required member    → kInvalidArgument naming the field;
//  * a member nobody asked for                            → kInvalidArgument "<name>: unknown field".
// Getters after the first error return nullopt; finish() reports the first error.
class JsonBody {
 public:
  static Result<JsonBody> parse(const std::string& body);

  std::optional<std::string> text(std::string_view key, Presence presence, size_t max_chars, size_t min_chars = 0);
  // Present null clears: outer nullopt = absent (or error), inner nullopt = null.
  std::optional<std::optional<std::string>> nullable_text(std::string_view key, size_t max_chars);
  std::optional<int64_t> integer(std::string_view key, Presence presence, int64_t min, int64_t max);
  std::optional<bool> boolean(std::string_view key, Presence presence);
  std::optional<nlohmann::json> object(std::string_view key, Presence presence);

  bool failed() const { return error_.has_value(); }
  // The first error, else an unknown member, else success.
  Result<void> finish() const;

 private:
  explicit JsonBody(nlohmann::json document) : doc_(std::move(document)) {}
  const nlohmann::json* member(std::string_view key, Presence presence);
  void fail(std::string_view key, const std::string& message);

  nlohmann::json doc_;
  std::set<std::string, std::less<>> seen_;
  std::optional<Error> error_;
};

}  // namespace rifa::api
