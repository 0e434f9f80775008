#pragma once

#include <optional>
#include <string>

namespace example {

// Reads one top-level string or integer member of a flat JSON object. Enough for this example's
// config (the host has already validated it against the schema); a real plugin should use a JSON
// library instead.
std::optional<std::string> config_string(const std::string& json, const std::string& key);
std::optional<long long> config_integer(const std::string& json, const std::string& key);

}  // namespace example
