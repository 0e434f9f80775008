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

// The client address of the request the current thread works for (the address the HTTP server
// resolved: the forwarding header's only from a trusted proxy, else the socket's peer); empty
// outside a request. Set by the server around each handler like the request id; the audit writer
// (storage/repositories/audit_writer) stores it with every entry written for the request.
inline thread_local std::string t_request_client_address;  // NOLINT: thread-local by design

inline const std::string& current_request_client_address() { return t_request_client_address; }

class ScopedRequestClientAddress {
 public:
  explicit ScopedRequestClientAddress(std::string address)
      : previous_(std::exchange(t_request_client_address, std::move(address))) {}
  ~ScopedRequestClientAddress() { t_request_client_address = std::move(previous_); }
  ScopedRequestClientAddress(const ScopedRequestClientAddress&) = delete;
  ScopedRequestClientAddress& operator=(const ScopedRequestClientAddress&) = delete;

 private:
  std::string previous_;
};

}  // namespace rifa
