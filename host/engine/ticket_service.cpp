#include "engine/ticket_service.hpp"

#include "engine/validation.hpp"

namespace rifa::engine {

bool is_ticket_estado(std::string_view estado) {
  return estado == "disponible" || estado == "reservado" || estado == "vendido" || estado == "ganador" ||
         estado == "anulado";
}

Result<Page<Ticket>> TicketService::list_for_rifa(const Actor& actor, const std::string& rifa_id, TicketFilter filter,
                                                  const PageRequest& page) {
  if (!actor.is_staff()) {
    if (filter.usuario_id && *filter.usuario_id != actor.user_id) {
      return field_error(ErrorCode::kPermissionDenied, "usuario_id", "a jugador can only list their own tickets");
    }
    filter.usuario_id = actor.user_id;
  }
  auto rifa = rifas_.find(rifa_id);
  if (!rifa) return rifa.error();
  if (!*rifa) return make_error(ErrorCode::kNotFound, "rifa " + rifa_id + " does not exist");
  filter.rifa_id = rifa_id;
  return sales_.list_tickets(filter, page);
}

Result<Page<Ticket>> TicketService::list_for_user(const Actor& actor, const std::string& user_id, TicketFilter filter,
                                                  const PageRequest& page) {
  if (!actor.is_staff() && user_id != actor.user_id) {
    return make_error(ErrorCode::kPermissionDenied, "a jugador can only list their own tickets");
  }
  filter.usuario_id = user_id;
  return sales_.list_tickets(filter, page);
}

Result<Sale> TicketService::transaccion(const Actor& actor, const std::string& transaccion_id) {
  auto found = sales_.find_sale(transaccion_id);
  if (!found) return found.error();
  if (!*found || (!actor.is_staff() && (*found)->transaccion.user_id != actor.user_id)) {
    return make_error(ErrorCode::kNotFound, "no transaccion '" + transaccion_id + "'");
  }
  return std::move(**found);
}

}  // namespace rifa::engine
