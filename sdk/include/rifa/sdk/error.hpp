#pragma once
/// @file
/// The exception a plugin written with the C++ wrapper throws to answer a call with an error.

#include <stdexcept>
#include <string>
#include <utility>

#include "rifa/sdk/abi.h"

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

namespace rifa::sdk {

/// Stable lower-case name of a status ("ok", "not_published", "timeout", ...), as the host prints it.
/// Never allocates; unknown values give "unknown".
inline const char* status_name(rifa_status status) noexcept {
  switch (status) {
    case RIFA_OK: return "ok";
    case RIFA_NOT_PUBLISHED: return "not_published";
    case RIFA_ERR_INVALID_ARGUMENT: return "invalid_argument";
    case RIFA_ERR_CONFIG: return "config";
    case RIFA_ERR_PARSE: return "parse";
    case RIFA_ERR_TRANSPORT: return "transport";
    case RIFA_ERR_TIMEOUT: return "timeout";
    case RIFA_ERR_DECLINED: return "declined";
    case RIFA_ERR_SIGNATURE: return "signature";
    case RIFA_ERR_NOT_FOUND: return "not_found";
    case RIFA_ERR_UNSUPPORTED: return "unsupported";
    case RIFA_ERR_VALIDATION: return "validation";
    case RIFA_ERR_NOT_RECORDED: return "not_recorded";
    case RIFA_ERR_INTERNAL: return "internal";
  }
  return "unknown";
}

/// Thrown by plugin code (or by Host::http) to end the current call with `status` and `what()` as
/// the error message the host receives. The export trampolines catch it, so it never crosses the
/// C boundary. Throwing it from a constructor refuses the instance (use RIFA_ERR_CONFIG for a bad
/// config). A status of RIFA_OK is a bug and is reported as RIFA_ERR_INTERNAL.
class Error : public std::runtime_error {
 public:
  /// `message` is for humans (operators, end users for RIFA_ERR_DECLINED): say what and why.
  Error(rifa_status status, const std::string& message) : std::runtime_error(message), status_(status) {}

  /// An error whose detailed message the host already stored on the current call (a failed
  /// Host::http inside a call). The trampoline then leaves the host's message in place; `summary`
  /// is what plugin code sees in what().
  static Error reported_by_host(rifa_status status, const std::string& summary) {
    Error error(status, summary);
    error.reported_by_host_ = true;
    return error;
  }

  /// JSON the call answers along with the error (the host reads it as the call's result). A notifier
  /// that may try again later says when the receiver asked it to: `{"retry_after_s": 120}` (see
  /// ABI.md, "Notifier"). Returns *this, so `throw Error(...).with_result(...)` reads naturally.
  Error& with_result(std::string json) {
    result_ = std::move(json);
    return *this;
  }

  rifa_status status() const noexcept { return status_; }
  /// The JSON given to with_result(), or empty.
  const std::string& result() const noexcept { return result_; }
  /// True when the host holds the detailed message for this error (see reported_by_host).
  bool is_reported_by_host() const noexcept { return reported_by_host_; }

 private:
  rifa_status status_;
  bool reported_by_host_ = false;
  std::string result_;
};

}  // namespace rifa::sdk

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif
