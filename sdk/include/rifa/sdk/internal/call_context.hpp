#pragma once
/// @file
/// Internal: which rifa_call the current thread is answering, so that Host::http can hand it to the
/// host as `error_call`. Not part of the wrapper's public API.

#include "rifa/sdk/abi.h"

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

namespace rifa::sdk::internal {

/// The call being answered on this thread, or nullptr outside a call (constructor, destructor,
/// threads the plugin started itself). One slot per thread and per plugin library (hidden visibility).
inline rifa_call*& current_call() noexcept {
  static thread_local rifa_call* call = nullptr;
  return call;
}

/// Sets current_call() for the duration of one trampoline and restores the previous value (calls
/// do not nest in practice, but restoring keeps a re-entrant host correct).
class CallScope {
 public:
  explicit CallScope(rifa_call* call) noexcept : previous_(current_call()) { current_call() = call; }
  ~CallScope() { current_call() = previous_; }
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;

 private:
  rifa_call* previous_;
};

}  // namespace rifa::sdk::internal

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif
