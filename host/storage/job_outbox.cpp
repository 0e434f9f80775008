#include "storage/job_outbox.hpp"

#include "storage/one_time_statement.hpp"
#include "storage/sql_estados.hpp"
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
  soci::statement st = storage::one_time_statement(
      sql,
      "INSERT INTO jobs (id, kind, payload, status, run_at, attempts, max_attempts, dedupe_key, "
      "created_at, updated_at) VALUES (:id, :kind, :payload, " +
          storage::sql_literal(JobStatus::kQueued) +
          ", :run_at, 0, :max, :dedupe, :now, :now2) ON CONFLICT (dedupe_key) DO NOTHING",
      soci::use(id), soci::use(request.kind), soci::use(payload), soci::use(run_at), soci::use(max_attempts),
      soci::use(dedupe, dedupe_ind), soci::use(now_text), soci::use(now_text));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

int enqueue_all_in_transaction(soci::session& sql, storage::Backend backend,
                               const std::vector<EnqueueRequest>& requests, TimePoint now) {
  if (requests.empty()) return 0;
  if (requests.size() == 1) return enqueue_in_transaction(sql, backend, requests.front(), now) ? 1 : 0;
  // Every value as text, kept alive until the statement has run; placeholders named apart (SQLite
  // binds equal names to one parameter).
  const std::string now_text = storage::format_timestamp(now);
  std::vector<std::string> values;
  std::vector<soci::indicator> indicators;
  values.reserve(requests.size() * 8);
  indicators.reserve(requests.size() * 8);
  std::string sql_text =
      "INSERT INTO jobs (id, kind, payload, status, run_at, attempts, max_attempts, dedupe_key, created_at, "
      "updated_at) VALUES ";
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const EnqueueRequest& r = requests[i];
    const std::string n = std::to_string(i);
    sql_text += (i ? ", " : "") + std::string("(:id") + n + ", :kind" + n + ", :payload" + n + ", " +
                storage::sql_literal(JobStatus::kQueued) + ", :run" + n + ", 0, CAST(:max" + n +
                " AS INTEGER), :dedupe" + n + ", :now" + n + ", :upd" + n + ")";
    for (const std::string& v :
         {random_uuid(), r.kind, r.payload.dump(), storage::format_timestamp(r.run_at.value_or(now)),
          std::to_string(r.max_attempts), r.dedupe_key.value_or(""), now_text, now_text}) {
      values.push_back(v);
      indicators.push_back(soci::i_ok);
    }
    if (!r.dedupe_key) indicators[indicators.size() - 3] = soci::i_null;
  }
  sql_text += " ON CONFLICT (dedupe_key) DO NOTHING";
  soci::statement st(sql);
  for (std::size_t i = 0; i < values.size(); ++i) st.exchange(soci::use(values[i], indicators[i]));
  st.alloc();
  st.prepare(sql_text, soci::details::st_one_time_query);
  st.define_and_bind();
  st.execute(true);
  return static_cast<int>(st.get_affected_rows());
}

}  // namespace rifa::jobs
