#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace rifa::jobs {

using TimePoint = std::chrono::system_clock::time_point;
using Clock = std::function<TimePoint()>;

enum class JobStatus { kQueued, kRunning, kSucceeded, kFailed, kDead };
const char* status_name(JobStatus status);

struct Job {
  std::string id;
  std::string kind;
  nlohmann::json payload;
  JobStatus status = JobStatus::kQueued;
  TimePoint run_at;
  int attempts = 0;  // claims so far, the current one included
  int max_attempts = 5;
  std::string last_error;
  std::string lease_owner;
  std::optional<std::string> dedupe_key;
};

struct EnqueueRequest {
  std::string kind;
  nlohmann::json payload = nlohmann::json::object();
  std::optional<TimePoint> run_at;  // default: now
  // Work with the same key is enqueued once, whatever state the first copy is in ("close:<rifa>").
  std::optional<std::string> dedupe_key;
  int max_attempts = 5;
};

// What the health check reports of the queue: work due and not started (and how long the oldest
// has waited: the workers are missing, stuck or too few), leases that ran out (a worker died), and
// jobs that ran out of attempts.
struct JobBacklog {
  int64_t due = 0;
  double oldest_due_age_s = 0;
  int64_t expired_leases = 0;
  int64_t dead = 0;
};

// Exponential backoff after the n-th failed attempt: 2 s, 4 s, 8 s ... capped at one hour.
std::chrono::seconds backoff_after(int attempts);

// What a failed run says about the next one: nothing (backoff_after), no sooner than `not_before`
// after now (the outside asked for a delay: the later of the two applies), or never (`permanent`:
// the job is dead at once, whatever attempts are left).
struct FailHint {
  bool permanent = false;
  std::chrono::seconds not_before{0};
};

// The durable job queue as the engine and the job runner see it (the port; storage/sql_job_queue
// is the `jobs` table behind it). A claim takes a lease; a job whose lease expired (its worker
// died) is claimed again. Completing or failing checks that the lease is still the caller's, so a
// worker that lost its lease cannot overwrite the new owner's outcome.
class JobQueue {
 public:
  virtual ~JobQueue() = default;

  // Returns the job id; for a dedupe_key already present, the existing job's id.
  virtual Result<std::string> enqueue(const EnqueueRequest& request) = 0;
  // The oldest due job (optionally of the given kinds), now leased to `owner`; nullopt when none.
  virtual Result<std::optional<Job>> claim(const std::string& owner, std::chrono::seconds lease,
                                           const std::vector<std::string>& kinds = {}) = 0;
  // kConflict when the lease is no longer `owner`'s.
  virtual Result<void> complete(const Job& job, const std::string& owner) = 0;
  // Queues the job again after backoff_after(attempts) (or hint.not_before, when later), or marks
  // it dead when attempts ran out or the hint says the failure is permanent.
  virtual Result<JobStatus> fail(const Job& job, const std::string& owner, const std::string& error,
                                 const FailHint& hint = {}) = 0;
  // A dead (or failed) job back to queued with a fresh set of attempts: the admin's "retry".
  virtual Result<void> retry(const std::string& job_id) = 0;
  virtual Result<std::optional<Job>> get(const std::string& job_id) = 0;
  virtual Result<std::vector<Job>> list(std::optional<JobStatus> status, int limit, int offset) = 0;
  // How many jobs list() would page through (the admin listing's total).
  virtual Result<int64_t> count(std::optional<JobStatus> status) = 0;
  virtual Result<JobBacklog> backlog() = 0;
};

std::string random_uuid();

}  // namespace rifa::jobs
