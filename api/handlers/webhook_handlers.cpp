#include "handlers/webhook_handlers.hpp"

#include <spdlog/spdlog.h>

#include "engine/payment_service.hpp"
#include "handlers/common/error_response.hpp"
#include "handlers/common/json_body.hpp"
#include "handlers/common/json_response.hpp"

namespace rifa::api {
namespace {

// The ABI's header form: "name: value" lines, names lower-cased (Request already lower-cases).
std::string header_lines(const Request& req) {
  std::string lines;
  for (const auto& [name, value] : req.headers) lines += name + ": " + value + "\n";
  return lines;
}

Response receive_webhook(const ApiContext& ctx, Request& req) {
  const std::string& instance = req.path_params.at("instance");
  // The plugin parses and copies the body; a tree that deep would overflow the stack in there.
  if (auto deep = json_nesting_error(req.body)) return error_response(*deep, req);
  auto outcome = ctx.payments.handle_webhook(instance, req.method, header_lines(req), req.body);
  if (!outcome) {
    spdlog::warn("webhook {} refused (request {}): {}", instance, req.request_id, outcome.error().message);
    return error_response(outcome.error(), req);
  }
  if (outcome->result == "ignored") {
    spdlog::info("webhook {} ignored (request {}): {}", instance, req.request_id, outcome->detail);
  }
  nlohmann::json body = {{"result", outcome->result}};
  if (!outcome->transaccion_id.empty()) body["transaccion_id"] = outcome->transaccion_id;
  if (!outcome->status.empty()) body["status"] = outcome->status;
  if (!outcome->detail.empty()) body["detail"] = outcome->detail;
  return json_body_response(200, body);
}

}  // namespace

void register_webhook_routes(Router& router, const ApiContext& context) {
  router.add("POST", std::string(kApiPrefix) + "/webhooks/{instance}",
             [&context](Request& r) { return receive_webhook(context, r); });
}

}  // namespace rifa::api
