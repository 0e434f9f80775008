#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "settings/config_error.hpp"
#include "settings/environment.hpp"

namespace rifa::settings {

// One value in the document with the key it sits under (undefined for list items) and its
// dotted path. Problems with the value are reported at the value, or at the key when the value is
// empty (yaml-cpp places an empty value at the next token, which would point at the wrong line).
struct Field {
  std::string key;
  YAML::Node key_node;
  YAML::Node value;
  std::string path;
};

// A mapping whose keys were checked: fields in file order, unknown and duplicate keys left out
// (and reported).
struct Mapping {
  std::string path;
  YAML::Mark mark;  // where "missing required key" errors point
  std::vector<Field> fields;

  const Field* find(std::string_view key) const;
};

// Walks a parsed YAML document on behalf of a schema: typed reads that expand ${ENV} in every
// scalar and collect every problem (with its position) instead of stopping at the first.
class YamlReader {
 public:
  YamlReader(std::string file, Environment env);

  // Reads a mapping; nothing (null) counts as an empty one. allowed lists the keys it may hold
  // (empty = any key). Unknown keys get a "did you mean"; a repeated key is reported as a
  // "duplicate <noun>" (yaml-cpp keeps both silently).
  std::optional<Mapping> mapping(const Field& field, const std::vector<std::string>& allowed,
                                 std::string_view duplicate_noun = "key");
  // Reports each of keys that the mapping lacks.
  void require(const Mapping& mapping, const std::vector<std::string>& keys);

  std::optional<std::vector<Field>> list(const Field& field, std::string_view expected = "a list");
  std::optional<std::string> string(const Field& field, bool allow_empty = false);
  std::optional<int64_t> integer(const Field& field, int64_t min, int64_t max);
  std::optional<bool> boolean(const Field& field);
  // One of values (exactly), else an error with a "did you mean".
  std::optional<std::string> one_of(const Field& field, const std::vector<std::string>& values);
  std::optional<std::vector<std::string>> string_list(const Field& field);
  // The value as JSON (see yaml_to_json), scalars ${ENV}-expanded.
  std::optional<nlohmann::json> json(const Field& field);

  void error(const Field& at, std::string message);
  void error_at_key(const Field& at, std::string message);
  void error(const YAML::Mark& at, std::string path, std::string message);

  const std::string& file() const { return file_; }
  bool has_errors() const { return !errors_.empty(); }
  std::vector<ConfigError> take_errors();

  // The field for the whole document.
  static Field root(const YAML::Node& document);
  static std::string child_path(const std::string& parent, std::string_view key);

 private:
  std::optional<std::string> scalar_text(const YAML::Node& scalar, const std::string& path);

  std::string file_;
  Environment env_;
  std::vector<ConfigError> errors_;
};

}  // namespace rifa::settings
