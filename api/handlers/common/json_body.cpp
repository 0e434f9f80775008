#include "handlers/common/json_body.hpp"

#include <cctype>

#include "engine/validation.hpp"

namespace rifa::api {
namespace {

using nlohmann::json;

// A first pass over the body with nlohmann's event (SAX) parser, which keeps its own stack on the
// heap: it refuses a body nested deeper than kMaxJsonDepth before any tree exists (building,
// copying and dumping a tree recurse once per level), and it keeps the source text of top-level
// numbers, which the tree only has as doubles.
class BodyScan final : public json::json_sax_t {
 public:
  bool too_deep() const { return too_deep_; }
  // The top-level member that nests too deep, or "body" when the body itself does.
  const std::string& deep_field() const { return deep_field_; }
  std::map<std::string, std::string, std::less<>> take_number_texts() { return std::move(number_texts_); }

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t value) override { return number(std::to_string(value)); }
  bool number_unsigned(number_unsigned_t value) override { return number(std::to_string(value)); }
  bool number_float(number_float_t, const string_t& text) override { return number(text); }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return open(true); }
  bool key(string_t& name) override {
    if (depth_ == 1) top_key_ = name;
    return true;
  }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(false); }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

 private:
  bool open(bool is_object) {
    if (depth_ == 0) top_is_object_ = is_object;
    if (++depth_ > kMaxJsonDepth) {
      too_deep_ = true;
      deep_field_ = top_is_object_ && depth_ > 1 && !top_key_.empty() ? top_key_ : "body";
      return false;  // stops the scan at once
    }
    return true;
  }
  bool close() {
    --depth_;
    return true;
  }
  bool number(std::string text) {
    if (depth_ == 1 && top_is_object_) number_texts_[top_key_] = std::move(text);
    return true;
  }

  int depth_ = 0;
  bool top_is_object_ = false;
  bool too_deep_ = false;
  std::string top_key_;
  std::string deep_field_;
  std::map<std::string, std::string, std::less<>> number_texts_;
};

Error depth_error(const BodyScan& scan) {
  return engine::invalid_field(scan.deep_field(),
                               "nests deeper than " + std::to_string(kMaxJsonDepth) + " levels of objects and arrays");
}

constexpr std::string_view kMediaTypeRefusal = "Content-Type: the body must be sent as application/json";

}  // namespace

ProblemType body_problem(const Error& parse_error) {
  return std::string_view(parse_error.message).starts_with(kMediaTypeRefusal) ? ProblemType::kUnsupportedMediaType
                                                                              : ProblemType::kMalformedJson;
}

std::optional<Error> json_nesting_error(std::string_view text) {
  BodyScan scan;
  json::sax_parse(text, &scan);
  if (!scan.too_deep()) return std::nullopt;
  return depth_error(scan);
}

bool is_json_media_type(std::string_view content_type) {
  std::string media(content_type.substr(0, content_type.find(';')));
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.pop_back();
  while (!media.empty() && (media.front() == ' ' || media.front() == '\t')) media.erase(media.begin());
  for (auto& c : media) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (media == "application/json") return true;
  const std::string_view prefix = "application/", suffix = "+json";
  return media.size() > prefix.size() + suffix.size() && media.starts_with(prefix) && media.ends_with(suffix);
}

Result<JsonBody> JsonBody::parse(const Request& request) {
  const std::string& body = request.body;
  // A body sent as text/plain (or form data) is refused whatever it holds: a browser sends those
  // cross-origin without a CORS preflight, and what the client declared is not what we read.
  if (!body.empty() && !is_json_media_type(request.header("content-type"))) {
    const std::string sent = request.header("content-type");
    return make_error(
        ErrorCode::kParse,
        std::string(kMediaTypeRefusal) + (sent.empty() ? std::string(" (no Content-Type was sent)") : ", not " + sent));
  }
  BodyScan scan;
  const bool scanned = json::sax_parse(body, &scan);
  if (scan.too_deep()) return depth_error(scan);
  if (!scanned) return make_error(ErrorCode::kParse, "the request body is not valid JSON");
  // allow_exceptions=false: a parse failure becomes a discarded value instead of an exception.
  json doc = json::parse(body, nullptr, false);
  if (doc.is_discarded()) return make_error(ErrorCode::kParse, "the request body is not valid JSON");
  if (!doc.is_object()) return engine::invalid_field("body", "must be a JSON object");
  return JsonBody(std::move(doc), scan.take_number_texts());
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

std::optional<std::string> JsonBody::text(std::string_view key, Presence presence, size_t max_chars, size_t min_chars) {
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

std::optional<std::string> JsonBody::decimal_text(std::string_view key, Presence presence, size_t max_chars) {
  if (error_) return std::nullopt;
  auto it = doc_.find(std::string(key));
  if (it != doc_.end() && it->is_number()) {
    seen_.emplace(key);
    auto source = number_texts_.find(key);
    if (source == number_texts_.end() || source->second.size() > max_chars) {
      fail(key, "must be a number of at most " + std::to_string(max_chars) + " characters");
      return std::nullopt;
    }
    return source->second;
  }
  return text(key, presence, max_chars);
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
