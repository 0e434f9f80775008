#pragma once

#include "handlers/common/api_context.hpp"
#include "server/router.hpp"

namespace rifa::api {

// Admin reports: GET /admin/reportes/ingresos?desde=&hasta= (sales, rake, prize fund, prizes and
// refunds: totals, by day, by categoria, by rifa) and GET /admin/reportes/participacion?rifa_id=
// (tickets sold, distinct players, fill rate, sales by day). Days are America/Bogota dates; money
// integer cents.
void register_report_routes(Router& router, const ApiContext& context);

}  // namespace rifa::api
