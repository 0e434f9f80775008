#include "handlers/ticket_handlers.hpp"

#include "engine/iso_time.hpp"
#include "engine/purchase_service.hpp"
#include "engine/ticket_service.hpp"
#include "engine/validation.hpp"
#include "handlers/common/error_response.hpp"
#include "handlers/common/json_body.hpp"
#include "handlers/common/json_response.hpp"
#include "handlers/common/pagination.hpp"

namespace rifa::api {
namespace {

constexpr size_t kIdMax = 64;

nlohmann::json ticket_json(const engine::Ticket& t) {
  const auto optional_time = [](const std::optional<engine::TimePoint>& at) {
    return at ? nlohmann::json(engine::format_iso_time(*at)) : nlohmann::json(nullptr);
  };
  const auto optional_text = [](const std::optional<std::string>& text) {
    return text ? nlohmann::json(*text) : nlohmann::json(nullptr);
  };
  return {{"id", t.id},
          {"rifa_id", t.rifa_id},
          {"numero", t.numero},
          {"estado", t.estado},
          {"precio", t.precio},
          {"usuario_id", optional_text(t.usuario_id)},
          {"transaccion_id", optional_text(t.transaccion_id)},
          {"comprado_en", optional_time(t.comprado_en)},
          {"hold_expires_at", optional_time(t.hold_expires_at)}};
}

Response buy_tickets(const ApiContext& ctx, Request& req) {
  auto who = ctx.authenticator.authenticate(req);
  if (!who) return error_response(who.error(), req);
  auto body = JsonBody::parse(req);
  if (!body) return error_response(body.error(), req);
  engine::PurchaseInput in;
  in.rifa_id = req.path_params.at("id");
  in.user_id = body->text("user_id", Presence::kOptional, kIdMax, 1);
  auto quantity = body->integer("quantity", Presence::kRequired, 1, engine::kMaxTicketsPerPurchase);
  in.payment_method = body->text("payment_method", Presence::kOptional, engine::kMaxPaymentMethodLength, 1);
  auto key = body->text("idempotency_key", Presence::kOptional, engine::kMaxIdempotencyKeyLength, 1);
  if (auto ok = body->finish(); !ok) return error_response(ok.error(), req);
  const std::string header_key = req.header("idempotency-key");
  if (!header_key.empty() && key && *key != header_key) {
    return error_response(engine::invalid_field("idempotency_key", "differs from the Idempotency-Key header"), req);
  }
  if (!key && header_key.empty()) {
    return error_response(
        engine::invalid_field("idempotency_key", "required, in the body or as the Idempotency-Key header"), req);
  }
  in.idempotency_key = key ? *key : header_key;
  in.quantity = *quantity;
  auto bought = ctx.purchases.purchase(who->actor(), in);
  if (!bought) return error_response(bought.error(), req);
  // The stored answer's bytes, as the first request sent them (and as a replay sends them again).
  Response response = json_response(bought->status, std::move(bought->body));
  if (bought->replayed) response.headers.emplace_back("Idempotent-Replayed", "true");
  return response;
}

Result<engine::TicketFilter> parse_ticket_filter(const Request& req, const char* other_id) {
  engine::TicketFilter filter;
  if (auto it = req.query.find("estado"); it != req.query.end()) {
    if (!engine::is_ticket_estado(it->second)) {
      return engine::invalid_field("estado", "must be one of disponible, reservado, vendido, ganador, anulado");
    }
    filter.estado = it->second;
  }
  if (auto it = req.query.find(other_id); it != req.query.end()) {
    if (it->second.empty() || it->second.size() > kIdMax) return engine::invalid_field(other_id, "must be an id");
    if (std::string(other_id) == "usuario_id") {
      filter.usuario_id = it->second;
    } else {
      filter.rifa_id = it->second;
    }
  }
  return filter;
}

Response list_rifa_tickets(const ApiContext& ctx, Request& req) {
  auto who = ctx.authenticator.authenticate(req);
  if (!who) return error_response(who.error(), req);
  auto filter = parse_ticket_filter(req, "usuario_id");
  if (!filter) return error_response(filter.error(), req);
  auto page = parse_pagination(req);
  if (!page) return error_response(page.error(), req);
  auto list = ctx.tickets.list_for_rifa(who->actor(), req.path_params.at("id"), *filter, *page);
  if (!list) return error_response(list.error(), req);
  return json_body_response(200, page_json(*list, ticket_json));
}

Response list_user_tickets(const ApiContext& ctx, Request& req) {
  auto who = ctx.authenticator.authenticate(req);
  if (!who) return error_response(who.error(), req);
  auto filter = parse_ticket_filter(req, "rifa_id");
  if (!filter) return error_response(filter.error(), req);
  auto page = parse_pagination(req);
  if (!page) return error_response(page.error(), req);
  auto list = ctx.tickets.list_for_user(who->actor(), req.path_params.at("id"), *filter, *page);
  if (!list) return error_response(list.error(), req);
  return json_body_response(200, page_json(*list, ticket_json));
}

// The purchase as it stands now: the receipt's shape, and the provider's reason once it failed.
// The app polls it while a payment it was sent to confirm (next_action) is pending.
Response get_transaccion(const ApiContext& ctx, Request& req) {
  auto who = ctx.authenticator.authenticate(req);
  if (!who) return error_response(who.error(), req);
  const std::string id = req.path_params.at("id");
  if (id.empty() || id.size() > kIdMax) return error_response(engine::invalid_field("id", "must be an id"), req);
  auto sale = ctx.tickets.transaccion(who->actor(), id);
  if (!sale) return error_response(sale.error(), req);
  nlohmann::json body = engine::receipt_json(*sale);
  if (sale->transaccion.failure_reason) body["reason"] = *sale->transaccion.failure_reason;
  // The same next step the purchase reply gave, for as long as the payment is pending.
  if (sale->transaccion.status == engine::PaymentStatus::kPending && sale->transaccion.next_action) {
    auto next = nlohmann::json::parse(*sale->transaccion.next_action, nullptr, false);
    if (!next.is_discarded()) body["next_action"] = std::move(next);
  }
  return json_body_response(200, body);
}

}  // namespace

void register_ticket_routes(Router& router, const ApiContext& context) {
  const std::string p = kApiPrefix;
  router.add("POST", p + "/rifas/{id}/tickets", [&context](Request& r) { return buy_tickets(context, r); });
  router.add("GET", p + "/rifas/{id}/tickets", [&context](Request& r) { return list_rifa_tickets(context, r); });
  router.add("GET", p + "/users/{id}/tickets", [&context](Request& r) { return list_user_tickets(context, r); });
  router.add("GET", p + "/transacciones/{id}", [&context](Request& r) { return get_transaccion(context, r); });
}

}  // namespace rifa::api
