#pragma once

#include "handlers/common/api_context.hpp"
#include "server/router.hpp"

namespace rifa::api {

// The durable job queue as an admin sees it: GET /admin/jobs?status= (paginated, with attempts and
// the last error) and POST /admin/jobs/{id}/retry (a dead or failed job back to queued).
void register_admin_job_routes(Router& router, const ApiContext& context);

}  // namespace rifa::api
