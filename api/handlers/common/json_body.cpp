#include "handlers/common/json_body.hpp"

#include "engine/validation.hpp"

namespace rifa::api {

Result<JsonBody> JsonBody::parse(const std::string& body) {
  // allow_exceptions=false: a parse failure becomes a discarded value instead of an exception.
  nlohmann::json doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_discarded()) return make_error(ErrorCode::kParse, "the request body is not valid JSON");
  if (!doc.is_object()) return engine::invalid_field("body", "must be a JSON object");
  return JsonBody(std::move(doc));
}

void JsonBody::fail(std::string_view key, const std::string& message) {
  if (!error_) error_ = engine::invalid_field(key, message);
}

const nlohmann::json* JsonBody::member(std::string_view key, Presence presence) {
  if (error_) return nullptr;
  seen_.emplace(key);
  auto it = doc_.find(std::string(key));
  if (it == doc_.end()) {
    if (presence == Presence::kRequired) fail(key, "is required");
    return nullptr;
  }
  return &*it;
}

std::optional<std::string> JsonBody::text(std::string_view key, Presence presence, size_t max_chars,
                                          size_t min_chars) {
  const nlohmann::json* v = member(key, presence);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    fail(key, "must be a string");
    return std::nullopt;
  }
  const auto& s = v->get_ref<const std::string&>();
  const size_t n = engine::utf8_length(s);
  if (n > max_chars) {
    fail(key, "must be at most " + std::to_string(max_chars) + " characters");
    return std::nullopt;
  }
  if (n < min_chars) {
    fail(key, min_chars == 1 ? "must not be empty" : "must be at least " + std::to_string(min_chars) + " characters");
    return std::nullopt;
  }
  return s;
}

std::optional<std::optional<std::string>> JsonBody::nullable_text(std::string_view key, size_t max_chars) {
  if (error_) return std::nullopt;
  auto it = doc_.find(std::string(key));
  if (it != doc_.end() && it->is_null()) {
    seen_.emplace(key);
    return std::optional<std::string>();
  }
  auto v = text(key, Presence::kOptional, max_chars);
  if (!v) return std::nullopt;
  return std::optional<std::string>(std::move(*v));
}

std::optional<int64_t> JsonBody::integer(std::string_view key, Presence presence, int64_t min, int64_t max) {
  const nlohmann::json* v = member(key, presence);
  if (!v) return std::nullopt;
  const std::string range = "between " + std::to_string(min) + " and " + std::to_string(max);
  // Unsigned values above INT64_MAX (2^63 and up) and floats (1e400 parses as a float) are refused
  // here rather than converted, so nothing wraps or rounds on the way to the database.
  if (v->is_number_unsigned()) {
    const auto u = v->get<uint64_t>();
    if (u > static_cast<uint64_t>(max)) {
      fail(key, "must be an integer " + range);
      return std::nullopt;
    }
    return static_cast<int64_t>(u);
  }
  if (!v->is_number_integer()) {
    fail(key, "must be an integer " + range);
    return std::nullopt;
  }
  const auto i = v->get<int64_t>();
  if (i < min || i > max) {
    fail(key, "must be an integer " + range);
    return std::nullopt;
  }
  return i;
}

std::optional<bool> JsonBody::boolean(std::string_view key, Presence presence) {
  const nlohmann::json* v = member(key, presence);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) {
    fail(key, "must be true or false");
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<nlohmann::json> JsonBody::object(std::string_view key, Presence presence) {
  const nlohmann::json* v = member(key, presence);
  if (!v) return std::nullopt;
  if (!v->is_object()) {
    fail(key, "must be a JSON object");
    return std::nullopt;
  }
  return *v;
}

Result<void> JsonBody::finish() const {
  if (error_) return *error_;
  for (auto it = doc_.begin(); it != doc_.end(); ++it) {
    if (!seen_.count(it.key())) return engine::invalid_field(it.key(), "unknown field");
  }
  return {};
}

}  // namespace rifa::api
