#include "sandbox_store.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

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
  fd_ = ::open(state_file_.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) throw sdk::Error(RIFA_ERR_CONFIG, "state_file " + state_file_ + ": " + std::strerror(errno));
  Lock lock(*this, RIFA_ERR_CONFIG);  // reads the whole file; a bad line refuses the instance
}

SandboxStore::~SandboxStore() {
  if (fd_ >= 0) ::close(fd_);
}

SandboxStore::Lock::Lock(SandboxStore& store, rifa_status on_bad_line) : store_(store) {
  if (store_.fd_ < 0) return;
  int rc;
  do { rc = ::flock(store_.fd_, LOCK_EX); } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    throw sdk::Error(RIFA_ERR_INTERNAL, "cannot lock state_file " + store_.state_file_ + ": " + std::strerror(errno));
  }
  try {
    store_.read_new_lines(on_bad_line);
  } catch (...) {
    ::flock(store_.fd_, LOCK_UN);
    throw;
  }
}

SandboxStore::Lock::~Lock() {
  if (store_.fd_ >= 0) ::flock(store_.fd_, LOCK_UN);
}

void SandboxStore::read_new_lines(rifa_status code) {
  char buffer[64 * 1024];
  for (;;) {
    const ssize_t n = ::pread(fd_, buffer, sizeof buffer, read_offset_);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw sdk::Error(code, "cannot read state_file " + state_file_ + ": " + std::strerror(errno));
    if (n == 0) break;
    read_offset_ += n;
    partial_line_.append(buffer, static_cast<size_t>(n));
  }
  size_t start = 0;
  for (size_t end; (end = partial_line_.find('\n', start)) != std::string::npos; start = end + 1) {
    const std::string line = partial_line_.substr(start, end - start);
    const int line_number = lines_read_ + 1;
    // A bad line is reported with its own number on every later read too: what came before it is
    // consumed, the bad line is not.
    const auto fail = [&](const std::string& what) {
      partial_line_.erase(0, start);
      throw sdk::Error(code, "state_file " + state_file_ + ":" + std::to_string(line_number) + ": " + what);
    };
    if (line.empty()) {
      lines_read_ = line_number;
      continue;
    }
    nlohmann::json entry;
    try {
      entry = nlohmann::json::parse(line);
    } catch (const nlohmann::json::parse_error& e) { fail(std::string("not JSON (") + e.what() + ")"); }
    RecordKind kind{};
    if (!entry.is_object() || !entry.contains("kind") || !entry["kind"].is_string() ||
        !kind_from_name(entry["kind"].get<std::string>(), kind) || !entry.contains("record") ||
        !entry["record"].is_object() || !entry["record"].contains("ref") ||
        !entry["record"].contains("idempotency_key")) {
      fail("expected {\"kind\": \"payment|refund|payout\", \"record\": {\"ref\", \"idempotency_key\", ...}}");
    }
    remember(kind, entry["record"]);
    lines_read_ = line_number;
  }
  // Writers append whole lines under the lock, so a tail without its newline is a torn write.
  partial_line_.erase(0, start);
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
  if (fd_ >= 0) {
    // One write(2) of the whole line under the caller's Lock: other processes see whole lines.
    const std::string line = nlohmann::json({{"kind", kind_name(kind)}, {"record", record}}).dump() + "\n";
    size_t written = 0;
    while (written < line.size()) {
      const ssize_t n = ::write(fd_, line.data() + written, line.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        throw sdk::Error(RIFA_ERR_INTERNAL, "cannot append to state_file " + state_file_ + ": " + std::strerror(errno));
      }
      written += static_cast<size_t>(n);
    }
    // Our own line is now known: skip it on the next read, but count it (error line numbers).
    read_offset_ = ::lseek(fd_, 0, SEEK_CUR);
    ++lines_read_;
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
