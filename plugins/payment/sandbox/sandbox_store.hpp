#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace rifa::plugins::sandbox {

enum class RecordKind { kPayment, kRefund, kPayout };

// Payments, refunds and payouts the sandbox knows, each a JSON object with at least "ref" and
// "idempotency_key". With a state file, every put() appends the record as one JSON line and the
// constructor replays the file (the last line of a ref wins), so the state survives a restart.
// Not thread-safe: the plugin serializes access with its own mutex.
class SandboxStore {
 public:
  // Throws rifa::sdk::Error(RIFA_ERR_CONFIG) when the file exists but cannot be read or parsed.
  explicit SandboxStore(std::string state_file);

  const nlohmann::json* find(RecordKind kind, const std::string& ref) const;
  const nlohmann::json* find_by_key(RecordKind kind, const std::string& idempotency_key) const;
  // Inserts or replaces the record with the same "ref". Throws rifa::sdk::Error(RIFA_ERR_INTERNAL)
  // when the state file cannot be appended to (the record is then not stored either).
  void put(RecordKind kind, const nlohmann::json& record);
  std::vector<nlohmann::json> all(RecordKind kind) const;

 private:
  void remember(RecordKind kind, const nlohmann::json& record);

  std::string state_file_;
  std::map<RecordKind, std::map<std::string, nlohmann::json>> records_;
  std::map<RecordKind, std::map<std::string, std::string>> ref_by_key_;
};

}  // namespace rifa::plugins::sandbox
