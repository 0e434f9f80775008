#include "sandbox_store.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

#include "rifa/sdk/error.hpp"

namespace rifa::plugins::sandbox {
namespace {

const char* kind_name(RecordKind kind) {
  switch (kind) {
    case RecordKind::kPayment: return "payment";
    case RecordKind::kRefund: return "refund";
    case RecordKind::kPayout: return "payout";
  }
  return "unknown";
}

bool kind_from_name(const std::string& name, RecordKind& kind) {
  for (RecordKind k : {RecordKind::kPayment, RecordKind::kRefund, RecordKind::kPayout}) {
    if (name == kind_name(k)) {
      kind = k;
      return true;
    }
  }
  return false;
}

}  // namespace

SandboxStore::SandboxStore(std::string state_file) : state_file_(std::move(state_file)) {
  if (state_file_.empty()) return;
  std::ifstream in(state_file_);
  if (!in) {
    if (errno == ENOENT) return;  // first start
    throw sdk::Error(RIFA_ERR_CONFIG, "state_file " + state_file_ + ": " + std::strerror(errno));
  }
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty()) continue;
    const std::string where = "state_file " + state_file_ + ":" + std::to_string(line_number) + ": ";
    nlohmann::json entry;
    try {
      entry = nlohmann::json::parse(line);
    } catch (const nlohmann::json::parse_error& e) {
      throw sdk::Error(RIFA_ERR_CONFIG, where + "not JSON (" + e.what() + ")");
    }
    RecordKind kind{};
    if (!entry.is_object() || !entry.contains("kind") || !entry["kind"].is_string() ||
        !kind_from_name(entry["kind"].get<std::string>(), kind) || !entry.contains("record") ||
        !entry["record"].is_object() || !entry["record"].contains("ref") ||
        !entry["record"].contains("idempotency_key")) {
      throw sdk::Error(RIFA_ERR_CONFIG, where + "expected {\"kind\": \"payment|refund|payout\", \"record\": {\"ref\", \"idempotency_key\", ...}}");
    }
    remember(kind, entry["record"]);
  }
}

const nlohmann::json* SandboxStore::find(RecordKind kind, const std::string& ref) const {
  auto by_kind = records_.find(kind);
  if (by_kind == records_.end()) return nullptr;
  auto it = by_kind->second.find(ref);
  return it == by_kind->second.end() ? nullptr : &it->second;
}

const nlohmann::json* SandboxStore::find_by_key(RecordKind kind, const std::string& idempotency_key) const {
  auto by_kind = ref_by_key_.find(kind);
  if (by_kind == ref_by_key_.end()) return nullptr;
  auto it = by_kind->second.find(idempotency_key);
  return it == by_kind->second.end() ? nullptr : find(kind, it->second);
}

void SandboxStore::put(RecordKind kind, const nlohmann::json& record) {
  if (!state_file_.empty()) {
    std::ofstream out(state_file_, std::ios::app);
    const nlohmann::json entry = {{"kind", kind_name(kind)}, {"record", record}};
    if (out) out << entry.dump() << "\n" << std::flush;
    if (!out) {
      throw sdk::Error(RIFA_ERR_INTERNAL, "cannot append to state_file " + state_file_ + ": " + std::strerror(errno));
    }
  }
  remember(kind, record);
}

std::vector<nlohmann::json> SandboxStore::all(RecordKind kind) const {
  std::vector<nlohmann::json> out;
  auto by_kind = records_.find(kind);
  if (by_kind == records_.end()) return out;
  for (const auto& [ref, record] : by_kind->second) out.push_back(record);
  return out;
}

void SandboxStore::remember(RecordKind kind, const nlohmann::json& record) {
  const std::string ref = record["ref"].get<std::string>();
  records_[kind][ref] = record;
  ref_by_key_[kind][record["idempotency_key"].get<std::string>()] = ref;
}

}  // namespace rifa::plugins::sandbox
