#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace rifa::api {

// A fixed set of threads running queued jobs in arrival order, with a bound on how many may wait:
// the HTTP server hands every handler to one (http_server.hpp), so that the io threads only read
// and write, and a burst it cannot serve is refused (503) instead of queued without end.
// Thread-safe.
class WorkerPool {
 public:
  // threads >= 1; queue_limit = jobs that may wait for a free thread (0 = none: a job is only
  // taken when a thread is idle).
  WorkerPool(size_t threads, size_t queue_limit, const std::string& name);
  ~WorkerPool();  // stop()
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues the job; false (and the job untouched) when the queue is full or the pool stopped.
  bool try_post(std::function<void()>& job);

  // Jobs waiting now (not those running).
  size_t queued() const;
  size_t threads() const { return threads_.size(); }

  // Lets every running job finish, drops the jobs still waiting (destroying them unrun) and joins
  // the threads. Idempotent. Whoever needs the waiting jobs run waits for them before this.
  void stop();

 private:
  void run();

  size_t queue_limit_;
  size_t idle_ = 0;
  bool stopping_ = false;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  std::vector<std::thread> threads_;
};

}  // namespace rifa::api
