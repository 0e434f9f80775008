#pragma once
// A real HTTP/1.1 server on 127.0.0.1 (an ephemeral port) for notifier tests: it records every
// request (method, target, lower-cased headers, body byte-exact) and answers each with the
// status the test chose, then closes the connection.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace rifa::testing {

struct RecordedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

class LoopbackHttpServer {
 public:
  // `status_for(n)`: the status of the n-th request (0-based); 200 for all by default.
  explicit LoopbackHttpServer(std::function<int(size_t)> status_for = nullptr);
  ~LoopbackHttpServer();
  LoopbackHttpServer(const LoopbackHttpServer&) = delete;
  LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;

  uint16_t port() const { return port_; }
  std::string url(const std::string& path = "/") const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  // Every request so far, and those whose status was 2xx.
  std::vector<RecordedRequest> requests() const;
  std::vector<RecordedRequest> accepted() const;

 private:
  void serve();

  std::function<int(size_t)> status_for_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::vector<RecordedRequest> requests_;
  std::vector<int> statuses_;
  std::thread thread_;
};

}  // namespace rifa::testing
