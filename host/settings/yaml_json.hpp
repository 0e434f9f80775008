#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

namespace rifa::settings {

// A scalar typed to JSON, or why it cannot be (error non-empty).
struct TypedScalar {
  nlohmann::json value;
  std::string error;
};

// Types a plain (unquoted) scalar the way YAML 1.2's core schema does: null (~, null, empty),
// booleans (true/false in three casings), integers (decimal, 0x hex, 0o octal), floats; anything
// else is a string. Integers beyond int64 become uint64 when they fit and are an error beyond that;
// .inf and .nan are errors because JSON cannot hold them.
TypedScalar type_plain_scalar(std::string_view text);

// "a mapping", "a list", "nothing (null)" or the scalar quoted: what error messages say was found.
std::string describe_node(const YAML::Node& node);

struct YamlToJsonHooks {
  // The scalar's text to use (after ${ENV} expansion), or nullopt once the hook has reported why not.
  std::function<std::optional<std::string>(const YAML::Node& scalar, const std::string& path)> scalar_text;
  // Reports a problem at a node.
  std::function<void(const YAML::Node& at, const std::string& path, const std::string& message)> error;
};

// Converts a YAML tree to JSON: mappings become objects (keys must be scalars and unique), lists
// arrays, plain scalars are typed by type_plain_scalar, quoted and block scalars stay strings,
// and explicit core tags (!!str, !!int, !!float, !!bool, !!null) are honoured. Returns nullopt when
// any problem was reported through hooks.error.
std::optional<nlohmann::json> yaml_to_json(const YAML::Node& node, const std::string& path,
                                           const YamlToJsonHooks& hooks);

}  // namespace rifa::settings
