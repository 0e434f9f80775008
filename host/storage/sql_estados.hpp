#pragma once

#include <initializer_list>
#include <string>

#include "engine/jobs/job_queue.hpp"
#include "engine/sale.hpp"
#include "engine/ticket_estado.hpp"

// The engine's estados as SQL text, in one place: tickets.estado, transacciones.status and
// jobs.status are written in queries through these, never as literals.
//   "... WHERE estado IN " + sql_in({TicketEstado::kVendido, TicketEstado::kGanador})
namespace rifa::storage {

// "'vendido'"
inline std::string sql_literal(engine::TicketEstado estado) {
  return "'" + std::string(engine::to_string(estado)) + "'";
}
inline std::string sql_literal(engine::PaymentStatus status) {
  return std::string("'") + engine::to_string(status) + "'";
}
inline std::string sql_literal(jobs::JobStatus status) { return std::string("'") + jobs::status_name(status) + "'"; }

// "('vendido', 'ganador')"
template <typename Estado>
std::string sql_in(std::initializer_list<Estado> estados) {
  std::string out = "(";
  for (const auto& e : estados) {
    if (out.size() > 1) out += ", ";
    out += sql_literal(e);
  }
  return out + ")";
}

// The tickets that count as sold: paid, whether or not they won.
inline std::string sql_sold_tickets() {
  return sql_in({engine::TicketEstado::kVendido, engine::TicketEstado::kGanador});
}

}  // namespace rifa::storage
