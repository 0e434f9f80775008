#include "storage/sql_job_queue.hpp"

#include <algorithm>
#include <cstdio>

#include "storage/one_time_statement.hpp"
#include "storage/sql_estados.hpp"
#include "storage/timestamps.hpp"

namespace rifa::storage {

using jobs::backoff_after;
using jobs::EnqueueRequest;
using jobs::Job;
using jobs::JobStatus;
using jobs::random_uuid;
using jobs::status_name;
using jobs::TimePoint;

// The queue's own transactions touch only the jobs table, which no read cache holds: they are
// kBookkeeping, so idle workers polling (claim) and notification jobs draining (claim, complete)
// do not drop the cached GET /rifas/{id} (issue 12). A job's handler writes with its own mode.

namespace {

// On PostgreSQL, a claim, completion or failure commits without waiting for its WAL flush
// (synchronous_commit off, for this transaction only). Jobs run at least once: if the server
// crashes before the flush, a lost claim or failure leaves the job to be claimed again when its
// lease ends, and a lost completion runs it again, as a host crash mid-job already does; every
// handler is idempotent for that reason. It halves the flushes a sale pays for its notification
// jobs (issue 12: purchases wait on WAL flushes, not on locks or CPU). Enqueue and retry stay
// durable: losing those would lose work someone was told is queued.
void commit_without_flush(soci::session& sql, bool pg) {
  if (pg) sql << "SET LOCAL synchronous_commit TO OFF";
}

std::optional<JobStatus> parse_status(const std::string& s) {
  if (s == "queued") return JobStatus::kQueued;
  if (s == "running") return JobStatus::kRunning;
  if (s == "succeeded") return JobStatus::kSucceeded;
  if (s == "failed") return JobStatus::kFailed;
  if (s == "dead") return JobStatus::kDead;
  return std::nullopt;
}

std::string ts(TimePoint t) { return storage::format_timestamp(t); }

}  // namespace

SqlJobQueue::SqlJobQueue(Database& db, jobs::Clock clock) : db_(db), clock_(std::move(clock)) {}

std::string SqlJobQueue::timestamp_select(const std::string& column) const {
  // PostgreSQL would print timestamptz in its own format; ask for the one SQLite stores.
  if (db_.backend() == Backend::kPostgresql) {
    return "to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
  }
  return column;
}

Result<std::string> SqlJobQueue::enqueue(const EnqueueRequest& request) {
  if (request.kind.empty()) return make_error(ErrorCode::kInvalidArgument, "job kind is required");
  const TimePoint now = clock_();
  const std::string id = random_uuid();
  const std::string payload = request.payload.dump();
  const std::string run_at = ts(request.run_at.value_or(now));
  const std::string now_text = ts(now);
  return db_.transaction(
      [&](soci::session& sql) -> Result<std::string> {
        soci::indicator dedupe_ind = request.dedupe_key ? soci::i_ok : soci::i_null;
        const std::string dedupe = request.dedupe_key.value_or("");
        sql << "INSERT INTO jobs (id, kind, payload, status, run_at, attempts, max_attempts, dedupe_key, created_at, "
               "updated_at) VALUES (:id, :kind, :payload, " +
                   sql_literal(JobStatus::kQueued) +
                   ", :run_at, 0, :max, :dedupe, :now, :now2) "
                   "ON CONFLICT (dedupe_key) DO NOTHING",
            soci::use(id), soci::use(request.kind), soci::use(payload), soci::use(run_at),
            soci::use(request.max_attempts), soci::use(dedupe, dedupe_ind), soci::use(now_text), soci::use(now_text);
        if (!request.dedupe_key) return id;
        std::string existing;
        sql << "SELECT id FROM jobs WHERE dedupe_key = :k", soci::use(dedupe), soci::into(existing);
        return existing;
      },
      storage::TransactionMode::kBookkeeping);
}

Result<std::optional<Job>> SqlJobQueue::claim(const std::string& owner, std::chrono::seconds lease,
                                              const std::vector<std::string>& kinds) {
  const TimePoint now = clock_();
  const std::string now_text = ts(now);
  const std::string expires = ts(now + lease);
  // One filter per branch below, its placeholders named apart (PostgreSQL numbers each name once).
  std::vector<std::string> kind_params;
  const auto kind_filter = [&](const std::string& branch) {
    std::string filter;
    for (size_t i = 0; i < kinds.size(); ++i) {
      kind_params.push_back("k" + branch + std::to_string(i));
      filter.append(i ? ", :" : " AND kind IN (:").append(kind_params.back());
    }
    return kinds.empty() ? filter : filter + ")";
  };
  const bool pg = db_.backend() == Backend::kPostgresql;
  const std::string lock = pg ? " FOR UPDATE SKIP LOCKED" : "";
  // A job whose lease ran out first (its worker died), else the queued job due first. Each branch
  // is one index range read in index order ((status, lease_expires_at), (status, run_at)), so
  // PostgreSQL reads it with a plain index scan that marks the entries of jobs that moved on as
  // dead and skips them afterwards: every job leaves a queued and a running entry behind, and a
  // pick that re-read them all (an OR of both states, sorted) grew slower with every job run
  // (issue 12: it was the costliest statement of a purchase run). The second branch runs only
  // when the first found nothing (LIMIT 1 over the union).
  const std::string pick =
      "SELECT id FROM (SELECT id FROM jobs WHERE status = " + sql_literal(JobStatus::kRunning) +
      " AND lease_expires_at < :now2" + kind_filter("l") + " ORDER BY lease_expires_at LIMIT 1" + lock +
      ") expired UNION ALL SELECT id FROM (SELECT id FROM jobs WHERE status = " + sql_literal(JobStatus::kQueued) +
      " AND run_at <= :now" + kind_filter("q") + " ORDER BY run_at LIMIT 1" + lock + ") due LIMIT 1";

  auto claimed = db_.transaction(
      [&](soci::session& sql) -> Result<std::optional<std::string>> {
        std::string id;
        soci::indicator id_ind = soci::i_null;
        soci::statement st = (sql.prepare << pick, soci::into(id, id_ind));
        st.exchange(soci::use(now_text, "now2"));
        for (size_t i = 0; i < kinds.size(); ++i) st.exchange(soci::use(kinds[i], kind_params[i]));
        st.exchange(soci::use(now_text, "now"));
        for (size_t i = 0; i < kinds.size(); ++i) st.exchange(soci::use(kinds[i], kind_params[kinds.size() + i]));
        st.define_and_bind();
        st.execute(true);
        if (!st.got_data() || id_ind != soci::i_ok) return std::optional<std::string>();
        commit_without_flush(sql, pg);
        sql << "UPDATE jobs SET status = " + sql_literal(JobStatus::kRunning) +
                   ", lease_owner = :owner, lease_expires_at = :exp, "
                   "attempts = attempts + 1, updated_at = :now WHERE id = :id",
            soci::use(owner), soci::use(expires), soci::use(now_text), soci::use(id);
        return std::optional<std::string>(id);
      },
      storage::TransactionMode::kBookkeeping);
  if (!claimed) return claimed.error();
  if (!*claimed) return std::optional<Job>();
  return get(**claimed);
}

Result<void> SqlJobQueue::complete(const Job& job, const std::string& owner) {
  const std::string now_text = ts(clock_());
  const bool pg = db_.backend() == storage::Backend::kPostgresql;
  return db_.transaction(
      [&](soci::session& sql) -> Result<void> {
        commit_without_flush(sql, pg);
        soci::statement st =
            storage::one_time_statement(sql,
                                        "UPDATE jobs SET status = " + sql_literal(JobStatus::kSucceeded) +
                                            ", lease_owner = NULL, "
                                            "lease_expires_at = NULL, last_error = NULL, updated_at = :now "
                                            "WHERE id = :id AND status = " +
                                            sql_literal(JobStatus::kRunning) + " AND lease_owner = :owner",
                                        soci::use(now_text), soci::use(job.id), soci::use(owner));
        st.execute(true);
        if (st.get_affected_rows() != 1) {
          return make_error(ErrorCode::kConflict, "job " + job.id + ": lease lost by '" + owner + "'");
        }
        return {};
      },
      storage::TransactionMode::kBookkeeping);
}

Result<JobStatus> SqlJobQueue::fail(const Job& job, const std::string& owner, const std::string& error,
                                    const jobs::FailHint& hint) {
  const TimePoint now = clock_();
  const bool dead = hint.permanent || job.attempts >= job.max_attempts;
  const JobStatus next = dead ? JobStatus::kDead : JobStatus::kQueued;
  const std::string next_name = status_name(next);
  const std::string run_at = ts(dead ? now : now + std::max(backoff_after(job.attempts), hint.not_before));
  const std::string now_text = ts(now);
  const std::string message = error.substr(0, 2000);
  const bool pg = db_.backend() == storage::Backend::kPostgresql;
  return db_.transaction(
      [&](soci::session& sql) -> Result<JobStatus> {
        commit_without_flush(sql, pg);
        soci::statement st =
            storage::one_time_statement(sql,
                                        "UPDATE jobs SET status = :status, run_at = :run_at, last_error = :err, "
                                        "lease_owner = NULL, lease_expires_at = NULL, updated_at = :now "
                                        "WHERE id = :id AND status = " +
                                            sql_literal(JobStatus::kRunning) + " AND lease_owner = :owner",
                                        soci::use(next_name), soci::use(run_at), soci::use(message),
                                        soci::use(now_text), soci::use(job.id), soci::use(owner));
        st.execute(true);
        if (st.get_affected_rows() != 1) {
          return make_error(ErrorCode::kConflict, "job " + job.id + ": lease lost by '" + owner + "'");
        }
        return next;
      },
      storage::TransactionMode::kBookkeeping);
}

Result<void> SqlJobQueue::retry(const std::string& job_id) {
  const std::string now_text = ts(clock_());
  return db_.transaction(
      [&](soci::session& sql) -> Result<void> {
        soci::statement st = storage::one_time_statement(sql,
                                                         "UPDATE jobs SET status = " + sql_literal(JobStatus::kQueued) +
                                                             ", attempts = 0, run_at = :now, "
                                                             "updated_at = :now2 WHERE id = :id AND status IN " +
                                                             sql_in({JobStatus::kDead, JobStatus::kFailed}),
                                                         soci::use(now_text), soci::use(now_text), soci::use(job_id));
        st.execute(true);
        if (st.get_affected_rows() != 1) {
          return make_error(ErrorCode::kConflict, "job " + job_id + " is not dead or failed (or does not exist)");
        }
        return {};
      },
      storage::TransactionMode::kBookkeeping);
}

Result<std::optional<Job>> SqlJobQueue::get(const std::string& job_id) {
  auto list_one = [&](soci::session& sql) -> Result<std::optional<Job>> {
    Job job;
    std::string payload, status, run_at, last_error, owner, dedupe;
    soci::indicator err_ind, owner_ind, dedupe_ind;
    const std::string payload_col = db_.backend() == Backend::kPostgresql ? "payload::text" : "payload";
    sql << "SELECT id, kind, " + payload_col + ", status, " + timestamp_select("run_at") +
               ", attempts, max_attempts, last_error, lease_owner, dedupe_key FROM jobs WHERE id = :id",
        soci::use(job_id), soci::into(job.id), soci::into(job.kind), soci::into(payload), soci::into(status),
        soci::into(run_at), soci::into(job.attempts), soci::into(job.max_attempts), soci::into(last_error, err_ind),
        soci::into(owner, owner_ind), soci::into(dedupe, dedupe_ind);
    if (!sql.got_data()) return std::optional<Job>();
    job.payload = nlohmann::json::parse(payload, nullptr, false);
    job.status = parse_status(status).value_or(JobStatus::kQueued);
    auto parsed = storage::parse_timestamp(run_at);
    if (!parsed) return parsed.error();
    job.run_at = *parsed;
    if (err_ind == soci::i_ok) job.last_error = last_error;
    if (owner_ind == soci::i_ok) job.lease_owner = owner;
    if (dedupe_ind == soci::i_ok) job.dedupe_key = dedupe;
    return std::optional<Job>(std::move(job));
  };
  return db_.transaction(list_one, storage::TransactionMode::kRead);
}

Result<std::vector<Job>> SqlJobQueue::list(std::optional<JobStatus> status, int limit, int offset) {
  auto ids = db_.transaction(
      [&](soci::session& sql) -> Result<std::vector<std::string>> {
        // Row by row: a bulk into(vector) of size 1 came back empty on SQLite (GET /admin/jobs?per_page=1).
        std::vector<std::string> out;
        std::string id;
        const std::string filter = status ? std::string(" WHERE status = '") + status_name(*status) + "'" : "";
        soci::statement st =
            (sql.prepare << "SELECT id FROM jobs" + filter + " ORDER BY created_at, id LIMIT :limit OFFSET :offset",
             soci::use(limit), soci::use(offset), soci::into(id));
        for_each_row(st, [&] { out.push_back(id); });
        return out;
      },
      storage::TransactionMode::kRead);
  if (!ids) return ids.error();
  std::vector<Job> jobs;
  for (const auto& id : *ids) {
    auto job = get(id);
    if (!job) return job.error();
    if (*job) jobs.push_back(std::move(**job));
  }
  return jobs;
}

Result<int64_t> SqlJobQueue::count(std::optional<JobStatus> status) {
  return db_.transaction(
      [&](soci::session& sql) -> int64_t {
        long long n = 0;
        const std::string filter = status ? std::string(" WHERE status = '") + status_name(*status) + "'" : "";
        sql << "SELECT count(*) FROM jobs" + filter, soci::into(n);
        return n;
      },
      storage::TransactionMode::kRead);
}

Result<jobs::JobBacklog> SqlJobQueue::backlog() {
  const TimePoint now = clock_();
  const std::string now_text = ts(now);
  return db_.transaction(
      [&](soci::session& sql) -> Result<jobs::JobBacklog> {
        jobs::JobBacklog out;
        long long due = 0, expired = 0, dead = 0;
        std::string oldest;
        soci::indicator oldest_ind = soci::i_null;
        // Each count is a range of one of the queue's indexes ((status, run_at), (status, lease_expires_at)).
        sql << "SELECT count(*), " + timestamp_select("min(run_at)") +
                   " FROM jobs WHERE status = " + sql_literal(JobStatus::kQueued) + " AND run_at <= :now",
            soci::use(now_text), soci::into(due), soci::into(oldest, oldest_ind);
        sql << "SELECT count(*) FROM jobs WHERE status = " + sql_literal(JobStatus::kRunning) +
                   " AND lease_expires_at < :now",
            soci::use(now_text), soci::into(expired);
        sql << "SELECT count(*) FROM jobs WHERE status = " + sql_literal(JobStatus::kDead), soci::into(dead);
        out.due = due;
        out.expired_leases = expired;
        out.dead = dead;
        if (due > 0 && oldest_ind == soci::i_ok) {
          auto at = parse_timestamp(oldest);
          if (!at) return at.error();
          out.oldest_due_age_s = std::max(0.0, std::chrono::duration<double>(now - *at).count());
        }
        return out;
      },
      storage::TransactionMode::kRead);
}

}  // namespace rifa::storage
