#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace rifa::settings {

// Looks up one environment variable; nullopt when it is not set. Injected so that tests (and
// tools validating a config for another machine) decide what the environment holds.
using Environment = std::function<std::optional<std::string>(const std::string& name)>;

// An environment holding exactly these variables.
Environment environment_from_map(std::map<std::string, std::string> variables);

// The real process environment (getenv).
Environment process_environment();

// Replaces every ${NAME} and ${NAME:-default} in text. NAME is [A-Za-z_][A-Za-z0-9_]*; the default
// is used when the variable is unset or empty and runs to the first '}' (it cannot contain one).
// "$${" stands for a literal "${". Errors (kConfigInvalid): an unset variable without a default
// ("environment variable RIFA_X is not set"), a malformed reference.
Result<std::string> expand_environment(std::string_view text, const Environment& env);

}  // namespace rifa::settings
