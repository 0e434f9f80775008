#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "engine/clock.hpp"
#include "engine/page.hpp"

namespace rifa::engine {

// One audit_log row as the admin reads it, hashes included so a reader can check the chain.
struct AuditLogEntry {
  int64_t id = 0;
  TimePoint occurred_at;
  std::string actor;
  std::string action;
  std::string entity;
  std::string entity_id;
  nlohmann::json data = nlohmann::json::object();
  std::string prev_hash;
  std::string hash;
};

// GET /admin/audit filters; an empty member does not filter. Exact matches.
struct AuditLogFilter {
  std::optional<std::string> entity;
  std::optional<std::string> entity_id;
  std::optional<std::string> action;
};

class AuditLogRepository {
 public:
  virtual ~AuditLogRepository() = default;
  // Newest first (id descending), with the total matching the filter.
  virtual Result<Page<AuditLogEntry>> list(const AuditLogFilter& filter, const PageRequest& page) = 0;
};

}  // namespace rifa::engine
