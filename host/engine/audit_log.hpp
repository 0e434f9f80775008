#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "engine/clock.hpp"
#include "engine/page.hpp"

namespace rifa::engine {

// One audit_log row as the admin reads it, hashes included so a reader can check the chain. A row
// is written pending (no seq, prev_hash or hash) and sealed into the chain shortly after by the
// host's audit sealer, which gives it its seq.
struct AuditLogEntry {
  int64_t id = 0;
  TimePoint occurred_at;
  std::string actor;
  std::string action;
  std::string entity;
  std::string entity_id;
  nlohmann::json data = nlohmann::json::object();
  // The client address of the request that wrote it (through trusted proxies); empty for entries
  // not written for a request and for those written before migration 0028.
  std::optional<std::string> client_address;
  std::optional<int64_t> seq;          // empty while pending
  std::optional<TimePoint> sealed_at;  // empty while pending, and for rows chained before sealing existed
  std::string prev_hash;               // empty while pending
  std::string hash;                    // empty while pending

  bool sealed() const { return seq.has_value(); }
};

// The chain as it stands: its head, and what waits to join it.
struct AuditChainStatus {
  int64_t head_seq = 0;             // sealed rows (seq runs 1..head_seq); 0 for an empty chain
  std::string head_hash;            // the 64-zero genesis hash for an empty chain
  int64_t pending = 0;              // rows written but not sealed yet
  double oldest_pending_age_s = 0;  // how long the oldest of them has waited (0 when none)
};

// GET /admin/audit filters; an empty member does not filter. Exact matches.
struct AuditLogFilter {
  std::optional<std::string> entity;
  std::optional<std::string> entity_id;
  std::optional<std::string> action;
  std::optional<std::string> actor;  // a user id, or "cli" / "system" / "job:<kind>"
};

class AuditLogRepository {
 public:
  virtual ~AuditLogRepository() = default;
  // Newest first (id descending), with the total matching the filter.
  virtual Result<Page<AuditLogEntry>> list(const AuditLogFilter& filter, const PageRequest& page) = 0;
  virtual Result<AuditChainStatus> chain_status() = 0;
};

}  // namespace rifa::engine
