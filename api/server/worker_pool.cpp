#include "server/worker_pool.hpp"

#include <pthread.h>

#include <algorithm>

namespace rifa::api {

WorkerPool::WorkerPool(size_t threads, size_t queue_limit, const std::string& name) : queue_limit_(queue_limit) {
  threads = std::max<size_t>(1, threads);
  threads_.reserve(threads);
  for (size_t i = 0; i < threads; ++i) {
    threads_.emplace_back([this] { run(); });
    // Named for top -H and perf (at most 15 characters).
    pthread_setname_np(threads_.back().native_handle(), name.substr(0, 15).c_str());
  }
}

WorkerPool::~WorkerPool() { stop(); }

bool WorkerPool::try_post(std::function<void()>& job) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    // Jobs an idle thread is about to take do not count as waiting.
    if (queue_.size() >= idle_ + queue_limit_) return false;
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
  return true;
}

size_t WorkerPool::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void WorkerPool::run() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mutex_);
      ++idle_;
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      --idle_;
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    job();
  }
}

void WorkerPool::stop() {
  std::deque<std::function<void()>> dropped;
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
    dropped.swap(queue_);
  }
  wake_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable() && t.get_id() != std::this_thread::get_id()) t.join();
  }
  threads_.clear();
  dropped.clear();  // outside the lock: a job's captures may do anything when destroyed
}

}  // namespace rifa::api
