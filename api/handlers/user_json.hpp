#pragma once

#include <nlohmann/json.hpp>

#include "engine/user.hpp"

namespace rifa::api {

// The public form of a user: never the password hash.
nlohmann::json user_json(const engine::User& user);

}  // namespace rifa::api
