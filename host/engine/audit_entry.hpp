#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace rifa::engine {

// One audit_log row to append in the same transaction as the change it records.
struct AuditEntry {
  std::string actor;   // user id, or "cli" for the command line
  std::string action;  // e.g. "user.role_changed", "rifa.created"
  std::string entity;  // table name: "users", "rifas"
  std::string entity_id;
  nlohmann::json data = nlohmann::json::object();
};

}  // namespace rifa::engine
