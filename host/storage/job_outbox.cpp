#include "storage/job_outbox.hpp"

#include "storage/one_time_statement.hpp"
#include "storage/timestamps.hpp"

namespace rifa::jobs {

bool enqueue_in_transaction(soci::session& sql, storage::Backend /*backend*/, const EnqueueRequest& request,
                            TimePoint now) {
  const std::string id = random_uuid();
  const std::string payload = request.payload.dump();
  const std::string run_at = storage::format_timestamp(request.run_at.value_or(now));
  const std::string now_text = storage::format_timestamp(now);
  soci::indicator dedupe_ind = request.dedupe_key ? soci::i_ok : soci::i_null;
  const std::string dedupe = request.dedupe_key.value_or("");
  const int max_attempts = request.max_attempts;
  soci::statement st =
      storage::one_time_statement(sql, "INSERT INTO jobs (id, kind, payload, status, run_at, attempts, max_attempts, dedupe_key, "
                      "created_at, updated_at) VALUES (:id, :kind, :payload, 'queued', :run_at, 0, :max, :dedupe, "
                      ":now, :now2) ON CONFLICT (dedupe_key) DO NOTHING",
       soci::use(id), soci::use(request.kind), soci::use(payload), soci::use(run_at), soci::use(max_attempts),
       soci::use(dedupe, dedupe_ind), soci::use(now_text), soci::use(now_text));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

}  // namespace rifa::jobs
