#pragma once

#include "engine/jobs/job_queue.hpp"
#include "storage/database.hpp"

namespace rifa::storage {

// The job queue in the `jobs` table (engine/jobs/job_queue.hpp is the port). On PostgreSQL claims
// use FOR UPDATE SKIP LOCKED, so several hosts sharing one database never claim the same job; on
// SQLite the write transaction (BEGIN IMMEDIATE) makes the claim a single-writer step.
class SqlJobQueue final : public jobs::JobQueue {
 public:
  SqlJobQueue(Database& db, jobs::Clock clock);

  Result<std::string> enqueue(const jobs::EnqueueRequest& request) override;
  Result<std::optional<jobs::Job>> claim(const std::string& owner, std::chrono::seconds lease,
                                         const std::vector<std::string>& kinds = {}) override;
  Result<void> complete(const jobs::Job& job, const std::string& owner) override;
  Result<jobs::JobStatus> fail(const jobs::Job& job, const std::string& owner, const std::string& error,
                               const jobs::FailHint& hint = {}) override;
  Result<void> retry(const std::string& job_id) override;
  Result<std::optional<jobs::Job>> get(const std::string& job_id) override;
  Result<std::vector<jobs::Job>> list(std::optional<jobs::JobStatus> status, int limit, int offset) override;
  Result<int64_t> count(std::optional<jobs::JobStatus> status) override;
  Result<jobs::JobBacklog> backlog() override;

 private:
  std::string timestamp_select(const std::string& column) const;
  Database& db_;
  jobs::Clock clock_;
};

}  // namespace rifa::storage
