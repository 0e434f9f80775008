#include "settings/yaml_reader.hpp"

#include <algorithm>
#include <map>

#include "settings/did_you_mean.hpp"
#include "settings/yaml_json.hpp"

namespace rifa::settings {
namespace {

bool is_empty(const YAML::Node& node) { return !node.IsDefined() || node.IsNull(); }

YAML::Mark mark_of(const Field& field) {
  if (is_empty(field.value) && field.key_node.IsDefined()) return field.key_node.Mark();
  return field.value.Mark();
}

std::string position(const YAML::Mark& mark) {
  return "line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1);
}

}  // namespace

const Field* Mapping::find(std::string_view key) const {
  for (const auto& f : fields) {
    if (f.key == key) return &f;
  }
  return nullptr;
}

YamlReader::YamlReader(std::string file, Environment env) : file_(std::move(file)), env_(std::move(env)) {}

Field YamlReader::root(const YAML::Node& document) { return Field{"", YAML::Node(), document, ""}; }

std::string YamlReader::child_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

void YamlReader::error(const YAML::Mark& at, std::string path, std::string message) {
  // An empty document has no position at all: point at its start.
  const bool known = at.line >= 0 && at.column >= 0;
  errors_.push_back({file_, known ? at.line + 1 : 1, known ? at.column + 1 : 1, std::move(path), std::move(message)});
}

void YamlReader::error(const Field& at, std::string message) { error(mark_of(at), at.path, std::move(message)); }

void YamlReader::error_at_key(const Field& at, std::string message) {
  error(at.key_node.IsDefined() ? at.key_node.Mark() : at.value.Mark(), at.path, std::move(message));
}

std::vector<ConfigError> YamlReader::take_errors() {
  auto out = std::move(errors_);
  errors_.clear();
  sort_by_position(out);
  return out;
}

std::optional<Mapping> YamlReader::mapping(const Field& field, const std::vector<std::string>& allowed,
                                           std::string_view duplicate_noun) {
  Mapping out{field.path, field.key_node.IsDefined() ? field.key_node.Mark() : field.value.Mark(), {}};
  if (is_empty(field.value)) return out;
  if (!field.value.IsMap()) {
    error(field, "expected a mapping, got " + describe_node(field.value));
    return std::nullopt;
  }
  std::map<std::string, YAML::Mark> seen;
  for (const auto& entry : field.value) {
    const YAML::Node& key = entry.first;
    if (!key.IsScalar()) {
      error(key.Mark(), field.path, "expected a plain key, got " + describe_node(key));
      continue;
    }
    Field child{key.Scalar(), key, entry.second, child_path(field.path, key.Scalar())};
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), child.key) == allowed.end()) {
      error_at_key(child, "unknown key '" + child.key + "' " + suggestion_note(child.key, allowed));
      continue;
    }
    auto [it, inserted] = seen.emplace(child.key, key.Mark());
    if (!inserted) {
      error_at_key(child, "duplicate " + std::string(duplicate_noun) + " '" + child.key + "' (first defined at " +
                              position(it->second) + ")");
      continue;
    }
    out.fields.push_back(std::move(child));
  }
  return out;
}

void YamlReader::require(const Mapping& mapping, const std::vector<std::string>& keys) {
  for (const auto& key : keys) {
    if (!mapping.find(key)) error(mapping.mark, mapping.path, "missing required key '" + key + "'");
  }
}

std::optional<std::string> YamlReader::scalar_text(const YAML::Node& scalar, const std::string& path) {
  auto expanded = expand_environment(scalar.Scalar(), env_);
  if (!expanded) {
    error(scalar.Mark(), path, expanded.error().message);
    return std::nullopt;
  }
  return std::move(*expanded);
}

std::optional<std::vector<Field>> YamlReader::list(const Field& field, std::string_view expected) {
  if (!field.value.IsSequence()) {
    std::string message = "expected " + std::string(expected) + ", got " + describe_node(field.value);
    if (is_empty(field.value)) message += " (write [] for an empty list)";
    error(field, std::move(message));
    return std::nullopt;
  }
  std::vector<Field> items;
  size_t index = 0;
  for (const auto& item : field.value) {
    items.push_back(Field{"", YAML::Node(), item, field.path + "[" + std::to_string(index++) + "]"});
  }
  return items;
}

std::optional<std::string> YamlReader::string(const Field& field, bool allow_empty) {
  if (!field.value.IsScalar()) {
    error(field, "expected a string, got " + describe_node(field.value));
    return std::nullopt;
  }
  auto text = scalar_text(field.value, field.path);
  if (text && text->empty() && !allow_empty) {
    error(field, "expected a non-empty string");
    return std::nullopt;
  }
  return text;
}

std::optional<int64_t> YamlReader::integer(const Field& field, int64_t min, int64_t max) {
  const std::string expected = "expected an integer from " + std::to_string(min) + " to " + std::to_string(max);
  if (!field.value.IsScalar()) {
    error(field, expected + ", got " + describe_node(field.value));
    return std::nullopt;
  }
  auto text = scalar_text(field.value, field.path);
  if (!text) return std::nullopt;
  const TypedScalar typed = type_plain_scalar(*text);
  if (typed.value.is_number_integer() && !typed.value.is_number_unsigned()) {
    const auto value = typed.value.get<int64_t>();
    if (value >= min && value <= max) return value;
  }
  // A number (even one too large for 64 bits) is shown bare, anything else quoted.
  if (typed.value.is_number_integer() || (typed.value.is_null() && !typed.error.empty())) {
    error(field, expected + ", got " + *text);
  } else {
    error(field, expected + ", got '" + *text + "'");
  }
  return std::nullopt;
}

std::optional<bool> YamlReader::boolean(const Field& field) {
  if (!field.value.IsScalar()) {
    error(field, "expected true or false, got " + describe_node(field.value));
    return std::nullopt;
  }
  auto text = scalar_text(field.value, field.path);
  if (!text) return std::nullopt;
  const TypedScalar typed = type_plain_scalar(*text);
  if (typed.value.is_boolean()) return typed.value.get<bool>();
  error(field, "expected true or false, got '" + *text + "'");
  return std::nullopt;
}

std::optional<std::string> YamlReader::one_of(const Field& field, const std::vector<std::string>& values) {
  if (!field.value.IsScalar()) {
    error(field, "expected one of " + join(values) + ", got " + describe_node(field.value));
    return std::nullopt;
  }
  auto text = scalar_text(field.value, field.path);
  if (!text) return std::nullopt;
  if (std::find(values.begin(), values.end(), *text) != values.end()) return text;
  error(field, "invalid value '" + *text + "' " + suggestion_note(*text, values));
  return std::nullopt;
}

std::optional<std::vector<std::string>> YamlReader::string_list(const Field& field) {
  auto items = list(field, "a list of strings");
  if (!items) return std::nullopt;
  std::vector<std::string> out;
  bool ok = true;
  for (const auto& item : *items) {
    if (auto s = string(item)) {
      out.push_back(std::move(*s));
    } else {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<nlohmann::json> YamlReader::json(const Field& field) {
  YamlToJsonHooks hooks;
  hooks.scalar_text = [this](const YAML::Node& scalar, const std::string& path) { return scalar_text(scalar, path); };
  hooks.error = [this](const YAML::Node& at, const std::string& path, const std::string& message) {
    error(at.Mark(), path, message);
  };
  return yaml_to_json(field.value, field.path, hooks);
}

}  // namespace rifa::settings
