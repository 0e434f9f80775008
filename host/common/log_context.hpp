#pragma once

#include <string>
#include <utility>

namespace rifa {

// The id of the request the current thread is working for, so that every log line written while
// handling it carries the id — including lines from the engine, storage and plugins, which never
// see the request. The HTTP server runs each handler synchronously on one thread of its worker
// pool (api/server/worker_pool) and sets the id around that call; the log formatters
// (host/app/logging.cpp) print it. Work a handler hands to another thread does not carry it.
inline thread_local std::string t_log_request_id;  // NOLINT: thread-local by design

inline const std::string& current_log_request_id() { return t_log_request_id; }

// Sets the thread's request id for its lifetime and restores the previous one after.
class ScopedLogRequestId {
 public:
  explicit ScopedLogRequestId(std::string id) : previous_(std::exchange(t_log_request_id, std::move(id))) {}
  ~ScopedLogRequestId() { t_log_request_id = std::move(previous_); }
  ScopedLogRequestId(const ScopedLogRequestId&) = delete;
  ScopedLogRequestId& operator=(const ScopedLogRequestId&) = delete;

 private:
  std::string previous_;
};

}  // namespace rifa
