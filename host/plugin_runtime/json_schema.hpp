#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace rifa::plugin_runtime {

// Validates a plugin's instance config against the JSON-Schema subset documented in sdk/ABI.md:
// type, properties, required, additionalProperties (false or a schema), enum, minimum, maximum,
// minLength, maxLength, pattern, items, minItems, maxItems, default (ignored here). Each failure is
// "PATH: MESSAGE" with PATH like `config.sources[1].url`.
std::vector<std::string> validate_against_schema(const nlohmann::json& schema, const nlohmann::json& value,
                                                 const std::string& root_path = "config");

// Checks that a schema only uses the supported subset, so a typo in a plugin's schema is caught
// by the conformance kit instead of being silently ignored.
std::vector<std::string> check_schema_subset(const nlohmann::json& schema, const std::string& root_path = "schema");

}  // namespace rifa::plugin_runtime
