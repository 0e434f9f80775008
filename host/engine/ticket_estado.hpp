#pragma once

#include <optional>
#include <string_view>

namespace rifa::engine {

// tickets.estado. disponible → reservado (a purchase holds it) → vendido (paid) → ganador (it won);
// a hold that expires or fails goes back to disponible; a refunded ticket is anulado.
enum class TicketEstado { kDisponible, kReservado, kVendido, kGanador, kAnulado };

constexpr std::string_view to_string(TicketEstado estado) {
  switch (estado) {
    case TicketEstado::kDisponible: return "disponible";
    case TicketEstado::kReservado: return "reservado";
    case TicketEstado::kVendido: return "vendido";
    case TicketEstado::kGanador: return "ganador";
    case TicketEstado::kAnulado: return "anulado";
  }
  return "disponible";
}

constexpr std::optional<TicketEstado> parse_ticket_estado(std::string_view text) {
  for (auto e : {TicketEstado::kDisponible, TicketEstado::kReservado, TicketEstado::kVendido, TicketEstado::kGanador,
                 TicketEstado::kAnulado}) {
    if (text == to_string(e)) return e;
  }
  return std::nullopt;
}

}  // namespace rifa::engine
