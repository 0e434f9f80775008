#include "handlers/admin_job_handlers.hpp"

#include "engine/iso_time.hpp"
#include "engine/validation.hpp"
#include "handlers/common/error_response.hpp"
#include "handlers/common/json_response.hpp"
#include "handlers/common/pagination.hpp"
#include "engine/jobs/job_queue.hpp"

namespace rifa::api {
namespace {

constexpr jobs::JobStatus kStatuses[] = {jobs::JobStatus::kQueued, jobs::JobStatus::kRunning,
                                         jobs::JobStatus::kSucceeded, jobs::JobStatus::kFailed, jobs::JobStatus::kDead};

nlohmann::json job_json(const jobs::Job& j) {
  const auto text_or_null = [](const std::string& s) { return s.empty() ? nlohmann::json() : nlohmann::json(s); };
  return {{"id", j.id},
          {"kind", j.kind},
          {"status", jobs::status_name(j.status)},
          {"run_at", engine::format_iso_time(j.run_at)},
          {"attempts", j.attempts},
          {"max_attempts", j.max_attempts},
          {"last_error", text_or_null(j.last_error)},
          {"lease_owner", text_or_null(j.lease_owner)},
          {"dedupe_key", j.dedupe_key ? nlohmann::json(*j.dedupe_key) : nlohmann::json()},
          {"payload", j.payload}};
}

// The queue has no engine service of its own: the role rule lives here, in one place.
Result<Principal> admin(const ApiContext& ctx, const Request& req) {
  auto who = ctx.authenticator.authenticate(req);
  if (!who) return who.error();
  if (auto ok = require_role(*who, {engine::Rol::kAdmin}); !ok) return ok.error();
  return who;
}

Response list_jobs(const ApiContext& ctx, Request& req) {
  auto who = admin(ctx, req);
  if (!who) return error_response(who.error(), req);
  std::optional<jobs::JobStatus> status;
  if (auto it = req.query.find("status"); it != req.query.end()) {
    for (auto s : kStatuses) {
      if (it->second == jobs::status_name(s)) status = s;
    }
    if (!status) {
      return error_response(engine::invalid_field("status", "must be one of queued, running, succeeded, failed, dead"),
                            req);
    }
  }
  auto page = parse_pagination(req);
  if (!page) return error_response(page.error(), req);
  auto total = ctx.jobs.count(status);
  if (!total) return error_response(total.error(), req);
  auto list = ctx.jobs.list(status, page->per_page, static_cast<int>(page->offset()));
  if (!list) return error_response(list.error(), req);
  engine::Page<jobs::Job> out{std::move(*list), page->page, page->per_page, *total};
  return json_body_response(200, page_json(out, job_json));
}

Response retry_job(const ApiContext& ctx, Request& req) {
  auto who = admin(ctx, req);
  if (!who) return error_response(who.error(), req);
  const std::string& id = req.path_params.at("id");
  auto found = ctx.jobs.get(id);
  if (!found) return error_response(found.error(), req);
  if (!*found) return error_response(make_error(ErrorCode::kNotFound, "job " + id + " does not exist"), req);
  if ((*found)->status != jobs::JobStatus::kDead && (*found)->status != jobs::JobStatus::kFailed) {
    return error_response(
        make_error(ErrorCode::kConflict, std::string("job ") + id + " is " + jobs::status_name((*found)->status) +
                                             ": only dead or failed jobs can be retried"),
        req);
  }
  // retry() re-checks the status in its UPDATE, so a job a worker picked up meanwhile is a 409 too.
  if (auto ok = ctx.jobs.retry(id); !ok) return error_response(ok.error(), req);
  auto after = ctx.jobs.get(id);
  if (!after) return error_response(after.error(), req);
  if (!*after) return error_response(make_error(ErrorCode::kNotFound, "job " + id + " does not exist"), req);
  return json_body_response(200, job_json(**after));
}

}  // namespace

void register_admin_job_routes(Router& router, const ApiContext& context) {
  const std::string p = std::string(kApiPrefix) + "/admin/jobs";
  router.add("GET", p, [&context](Request& r) { return list_jobs(context, r); });
  router.add("POST", p + "/{id}/retry", [&context](Request& r) { return retry_job(context, r); });
}

}  // namespace rifa::api
