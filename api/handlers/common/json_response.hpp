#pragma once

#include <nlohmann/json.hpp>

#include "server/http_types.hpp"

namespace rifa::api {

// Serialises with invalid UTF-8 replaced rather than thrown: stored text is UTF-8 already (bodies
// are parsed strictly), so this only guards against a bug turning into a 500.
inline Response json_body_response(int status, const nlohmann::json& body) {
  return json_response(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace rifa::api
