#pragma once

#include <vector>

#include <soci/soci.h>

#include "engine/jobs/job_queue.hpp"
#include "storage/database_url.hpp"

namespace rifa::jobs {

// Enqueues a job inside the caller's open transaction (a transactional outbox): the job exists
// if and only if the change that asked for it commits, so a crash can never leave a closed rifa
// without its settlement job, or winners without their payouts. Same semantics as
// JobQueue::enqueue: a dedupe_key already present makes this a no-op. Returns true when a row was
// inserted. SOCI errors propagate to the caller's transaction (which then rolls back).
bool enqueue_in_transaction(soci::session& sql, storage::Backend backend, const EnqueueRequest& request, TimePoint now);

// The same for several jobs in ONE multi-row statement; returns how many rows were inserted.
int enqueue_all_in_transaction(soci::session& sql, storage::Backend backend,
                               const std::vector<EnqueueRequest>& requests, TimePoint now);

}  // namespace rifa::jobs
