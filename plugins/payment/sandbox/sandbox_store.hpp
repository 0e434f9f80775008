#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rifa/sdk/abi.h"

namespace rifa::plugins::sandbox {

enum class RecordKind { kPayment, kRefund, kPayout };

// Payments, refunds and payouts the sandbox knows, each a JSON object with at least "ref" and
// "idempotency_key". With a state file, every put() appends the record as one JSON line and the
// constructor replays the file (the last line of a ref wins), so the state survives a restart.
//
// Several host processes may share one state file, as a cluster shares one real provider: hold a
// Lock around every read-then-write. It takes an exclusive flock(2) on the file and first reads
// what other processes appended since, so an idempotency key given to one host is honoured by all
// (a payout retried by a second host after the first died is not paid twice).
// Not thread-safe: the plugin serializes access with its own mutex.
class SandboxStore {
 public:
  // Throws rifa::sdk::Error(RIFA_ERR_CONFIG) when the file exists but cannot be read or parsed.
  explicit SandboxStore(std::string state_file);
  ~SandboxStore();
  SandboxStore(const SandboxStore&) = delete;
  SandboxStore& operator=(const SandboxStore&) = delete;

  class Lock {
   public:
    // on_bad_line: the error a malformed line raises (RIFA_ERR_CONFIG while the instance starts).
    explicit Lock(SandboxStore& store, rifa_status on_bad_line = RIFA_ERR_INTERNAL);
    ~Lock();
    Lock(const Lock&) = delete;
    Lock& operator=(const Lock&) = delete;

   private:
    SandboxStore& store_;
  };
  // Throws rifa::sdk::Error(RIFA_ERR_INTERNAL) when the file cannot be locked or read.
  [[nodiscard]] Lock lock() { return Lock(*this); }

  const nlohmann::json* find(RecordKind kind, const std::string& ref) const;
  const nlohmann::json* find_by_key(RecordKind kind, const std::string& idempotency_key) const;
  // Inserts or replaces the record with the same "ref". Throws rifa::sdk::Error(RIFA_ERR_INTERNAL)
  // when the state file cannot be appended to (the record is then not stored either).
  void put(RecordKind kind, const nlohmann::json& record);
  std::vector<nlohmann::json> all(RecordKind kind) const;

 private:
  void remember(RecordKind kind, const nlohmann::json& record);
  // Reads the lines appended since the last read; `code` is the error raised on a bad line.
  void read_new_lines(rifa_status code);

  std::string state_file_;
  int fd_ = -1;
  long long read_offset_ = 0;
  int lines_read_ = 0;
  std::string partial_line_;
  std::map<RecordKind, std::map<std::string, nlohmann::json>> records_;
  std::map<RecordKind, std::map<std::string, std::string>> ref_by_key_;
};

}  // namespace rifa::plugins::sandbox
