#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace rifa::plugins::sandbox {

// One background thread that runs jobs (sending delayed webhooks) when they are due. Jobs run
// outside the lock. The destructor stops and joins the thread; jobs not yet due are dropped (the
// sandbox re-schedules unsent webhooks from its state file on the next start).
class WebhookSender {
 public:
  WebhookSender();
  ~WebhookSender();
  WebhookSender(const WebhookSender&) = delete;
  WebhookSender& operator=(const WebhookSender&) = delete;

  void schedule(std::chrono::milliseconds delay, std::function<void()> job);

 private:
  void run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::multimap<std::chrono::steady_clock::time_point, std::function<void()>> jobs_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after the members it uses exist
};

}  // namespace rifa::plugins::sandbox
