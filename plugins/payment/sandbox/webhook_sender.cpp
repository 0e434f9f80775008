#include "webhook_sender.hpp"

namespace rifa::plugins::sandbox {

WebhookSender::WebhookSender() : thread_([this] { run(); }) {}

WebhookSender::~WebhookSender() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void WebhookSender::schedule(std::chrono::milliseconds delay, std::function<void()> job) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    jobs_.emplace(std::chrono::steady_clock::now() + delay, std::move(job));
  }
  wake_.notify_all();
}

void WebhookSender::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    if (jobs_.empty()) {
      wake_.wait(lock);
      continue;
    }
    const auto due = jobs_.begin()->first;
    if (std::chrono::steady_clock::now() < due) {
      wake_.wait_until(lock, due);
      continue;
    }
    auto job = std::move(jobs_.begin()->second);
    jobs_.erase(jobs_.begin());
    lock.unlock();
    job();  // jobs catch their own errors: an exception here would end the process
    lock.lock();
  }
}

}  // namespace rifa::plugins::sandbox
