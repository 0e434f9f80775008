#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

namespace rifa::api {

// The server's open connections: how many per client address and in all, which are busy (a
// request read and not yet answered), and in what order they were last active. It decides
// whether a new connection may stay:
// - over the per-address cap it is refused: one client (or one NAT) cannot hold every socket;
// - at the host cap the least recently active idle connection is evicted to make room, so that a
//   flood of idle sockets from many addresses cannot lock out a health probe or a real client —
//   the newest connection is the last to go. With no idle connection to evict it is refused.
// evict_idle() frees a file descriptor the same way when accept() runs out of them.
// Eviction callbacks run outside the lock; each connection is evicted at most once. Thread-safe.
class ConnectionTable {
 public:
  using Id = uint64_t;
  using Evict = std::function<void()>;

  // 0 = no cap.
  ConnectionTable(size_t max_total, size_t max_per_address);

  enum class Outcome { kAdmitted, kAdmittedByEviction, kRefusedPerAddress, kRefusedHostFull };
  struct Admission {
    Outcome outcome = Outcome::kRefusedHostFull;
    Id id = 0;  // when admitted: pass to attach/activity/remove
    bool admitted() const { return outcome == Outcome::kAdmitted || outcome == Outcome::kAdmittedByEviction; }
  };
  // per_address_cap false: only the host cap applies (a trusted proxy carries many clients' connections).
  Admission admit(const std::string& address, bool per_address_cap = true);
  // How to close the connection when it is chosen for eviction (called once, from any thread).
  void attach(Id id, Evict evict);
  // A request was read (busy) or answered (idle again, and now the most recently active).
  void activity(Id id, bool busy);
  void remove(Id id);
  // Evicts the least recently active idle connection; false when there is none.
  bool evict_idle();

  size_t open() const;  // connections not (yet) being evicted
  size_t max_total() const { return max_total_; }
  size_t max_per_address() const { return max_per_address_; }

 private:
  struct Entry {
    Id id;
    std::string address;
    bool busy = false;
    bool evicting = false;
    Evict evict;
  };
  using Order = std::list<Entry>;  // least recently active first

  // Marks the victim and returns its callback; empty when no idle connection can be evicted.
  Evict take_idle_victim();
  void forget_live(const Entry& entry);

  const size_t max_total_;
  const size_t max_per_address_;
  mutable std::mutex mutex_;
  Order order_;
  std::unordered_map<Id, Order::iterator> by_id_;
  std::unordered_map<std::string, size_t> live_per_address_;
  size_t live_ = 0;
  Id next_id_ = 1;
};

}  // namespace rifa::api
