#include "plugin_runtime/call_limiter.hpp"

#include <algorithm>

namespace rifa::plugin_runtime {

CallLimiter::CallLimiter(size_t limit, std::chrono::milliseconds wait,
                         std::map<std::string, size_t, std::less<>> per_instance)
    : limit_(std::max<size_t>(1, limit)), wait_(wait), per_instance_(std::move(per_instance)) {}

CallLimiter::Permit& CallLimiter::Permit::operator=(Permit&& other) noexcept {
  if (this != &other) {
    release();
    owner_ = other.owner_;
    instance_ = std::move(other.instance_);
    other.owner_ = nullptr;
  }
  return *this;
}

void CallLimiter::Permit::release() {
  if (owner_) owner_->release(instance_);
  owner_ = nullptr;
}

size_t CallLimiter::limit_for(const std::string& instance) const {
  auto it = per_instance_.find(instance);
  return it == per_instance_.end() ? limit_ : std::max<size_t>(1, it->second);
}

size_t CallLimiter::in_flight(const std::string& instance) const {
  std::lock_guard lock(mutex_);
  auto it = in_flight_.find(instance);
  return it == in_flight_.end() ? 0 : it->second;
}

CallLimiter::Permit CallLimiter::acquire(const std::string& instance) {
  const size_t limit = limit_for(instance);
  std::unique_lock lock(mutex_);
  size_t& count = in_flight_[instance];
  if (!freed_.wait_for(lock, wait_, [&] { return count < limit; })) return Permit();
  ++count;
  return Permit(this, instance);
}

void CallLimiter::release(const std::string& instance) {
  {
    std::lock_guard lock(mutex_);
    auto it = in_flight_.find(instance);
    if (it != in_flight_.end() && it->second > 0) --it->second;
  }
  freed_.notify_all();
}

}  // namespace rifa::plugin_runtime
