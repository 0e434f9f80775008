#pragma once

#include <optional>
#include <string>

#include "common/result.hpp"
#include "engine/actor.hpp"
#include "engine/catalog_repository.hpp"
#include "engine/page.hpp"
#include "engine/sales_repository.hpp"

namespace rifa::engine {

// Ticket listings with their access rule: operador and admin see every ticket; a jugador only
// their own — asking for someone else's (a user_id in the path or the usuario_id filter) is 403,
// and a rifa's listing is narrowed to their tickets, so neither filters nor pages reveal others.
class TicketService {
 public:
  TicketService(SalesRepository& sales, RifaRepository& rifas) : sales_(sales), rifas_(rifas) {}

  Result<Page<Ticket>> list_for_rifa(const Actor& actor, const std::string& rifa_id, TicketFilter filter,
                                     const PageRequest& page);
  Result<Page<Ticket>> list_for_user(const Actor& actor, const std::string& user_id, TicketFilter filter,
                                     const PageRequest& page);
  // GET /transacciones/{id}: one purchase and its tickets, for its buyer or staff. Anyone else is
  // answered not found (a transaccion id says nothing about whose it is).
  Result<Sale> transaccion(const Actor& actor, const std::string& transaccion_id);

 private:
  SalesRepository& sales_;
  RifaRepository& rifas_;
};

// The estado values a ticket filter accepts.
bool is_ticket_estado(std::string_view estado);

}  // namespace rifa::engine
