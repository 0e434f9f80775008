#include "handlers/audit_handlers.hpp"

#include "engine/audit_log_service.hpp"
#include "engine/iso_time.hpp"
#include "engine/validation.hpp"
#include "handlers/common/error_response.hpp"
#include "handlers/common/json_response.hpp"
#include "handlers/common/pagination.hpp"

namespace rifa::api {
namespace {

// Longer than any action, table name or id the host writes; a longer value cannot match.
constexpr size_t kFilterMax = 200;

nlohmann::json entry_json(const engine::AuditLogEntry& e) {
  const auto text_or_null = [&](const std::string& v) { return e.sealed() ? nlohmann::json(v) : nlohmann::json(); };
  return {{"id", e.id},
          {"state", e.sealed() ? "sealed" : "pending"},
          {"seq", e.seq ? nlohmann::json(*e.seq) : nlohmann::json()},
          {"sealed_at", e.sealed_at ? nlohmann::json(engine::format_iso_time(*e.sealed_at)) : nlohmann::json()},
          {"occurred_at", engine::format_iso_time(e.occurred_at)},
          {"actor", e.actor},
          {"action", e.action},
          {"entity", e.entity},
          {"entity_id", e.entity_id},
          {"data", e.data},
          {"client_address", e.client_address ? nlohmann::json(*e.client_address) : nlohmann::json()},
          {"prev_hash", text_or_null(e.prev_hash)},
          {"hash", text_or_null(e.hash)}};
}

Result<std::optional<std::string>> filter_param(const Request& req, const char* name) {
  auto it = req.query.find(name);
  if (it == req.query.end()) return std::optional<std::string>();
  if (it->second.empty() || it->second.size() > kFilterMax) {
    return engine::invalid_field(name, "must be 1 to " + std::to_string(kFilterMax) + " characters");
  }
  return std::optional<std::string>(it->second);
}

Response list_audit(const ApiContext& ctx, Request& req) {
  auto who = ctx.authenticator.authenticate(req);
  if (!who) return error_response(who.error(), req);
  engine::AuditLogFilter filter;
  for (auto [name, member] : {std::pair{"entity", &filter.entity}, std::pair{"entity_id", &filter.entity_id},
                              std::pair{"action", &filter.action}, std::pair{"actor", &filter.actor}}) {
    auto value = filter_param(req, name);
    if (!value) return error_response(value.error(), req);
    *member = *value;
  }
  auto page = parse_pagination(req);
  if (!page) return error_response(page.error(), req);
  auto entries = ctx.audit_log.list(who->actor(), filter, *page);
  if (!entries) return error_response(entries.error(), req);
  auto chain = ctx.audit_log.chain_status(who->actor());
  if (!chain) return error_response(chain.error(), req);
  nlohmann::json body = page_json(*entries, entry_json);
  body["chain"] = {{"head_seq", chain->head_seq},
                   {"head_hash", chain->head_hash},
                   {"pending", chain->pending},
                   {"oldest_pending_age_s", chain->oldest_pending_age_s}};
  return json_body_response(200, body);
}

}  // namespace

void register_audit_routes(Router& router, const ApiContext& context) {
  router.add("GET", std::string(kApiPrefix) + "/admin/audit",
             [&context](Request& r) { return list_audit(context, r); });
}

}  // namespace rifa::api
