#include "server/connection_table.hpp"

namespace rifa::api {

ConnectionTable::ConnectionTable(size_t max_total, size_t max_per_address)
    : max_total_(max_total), max_per_address_(max_per_address) {}

ConnectionTable::Admission ConnectionTable::admit(const std::string& address, bool per_address_cap) {
  Evict victim;
  Admission admission;
  {
    std::lock_guard lock(mutex_);
    const auto per_address = live_per_address_.find(address);
    if (per_address_cap && max_per_address_ && per_address != live_per_address_.end() &&
        per_address->second >= max_per_address_) {
      admission.outcome = Outcome::kRefusedPerAddress;
      return admission;
    }
    admission.outcome = Outcome::kAdmitted;
    if (max_total_ && live_ >= max_total_) {
      victim = take_idle_victim();
      if (!victim) {
        admission.outcome = Outcome::kRefusedHostFull;
        return admission;
      }
      admission.outcome = Outcome::kAdmittedByEviction;
    }
    admission.id = next_id_++;
    order_.push_back(Entry{admission.id, address});
    by_id_[admission.id] = std::prev(order_.end());
    ++live_per_address_[address];
    ++live_;
  }
  if (victim) victim();
  return admission;
}

void ConnectionTable::attach(Id id, Evict evict) {
  std::lock_guard lock(mutex_);
  if (auto it = by_id_.find(id); it != by_id_.end()) it->second->evict = std::move(evict);
}

void ConnectionTable::activity(Id id, bool busy) {
  std::lock_guard lock(mutex_);
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return;
  it->second->busy = busy;
  order_.splice(order_.end(), order_, it->second);
}

void ConnectionTable::remove(Id id) {
  std::lock_guard lock(mutex_);
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return;
  if (!it->second->evicting) forget_live(*it->second);
  order_.erase(it->second);
  by_id_.erase(it);
}

bool ConnectionTable::evict_idle() {
  Evict victim;
  {
    std::lock_guard lock(mutex_);
    victim = take_idle_victim();
  }
  if (!victim) return false;
  victim();
  return true;
}

size_t ConnectionTable::open() const {
  std::lock_guard lock(mutex_);
  return live_;
}

ConnectionTable::Evict ConnectionTable::take_idle_victim() {
  // Busy connections are few (requests being handled), so the scan stops early in practice.
  for (auto& entry : order_) {
    if (entry.busy || entry.evicting || !entry.evict) continue;
    entry.evicting = true;
    forget_live(entry);
    return std::move(entry.evict);
  }
  return {};
}

void ConnectionTable::forget_live(const Entry& entry) {
  --live_;
  auto it = live_per_address_.find(entry.address);
  if (it != live_per_address_.end() && --it->second == 0) live_per_address_.erase(it);
}

}  // namespace rifa::api
