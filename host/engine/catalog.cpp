#include "engine/catalog.hpp"

namespace rifa::engine {

const char* to_string(RifaEstado estado) {
  switch (estado) {
    case RifaEstado::kPendiente: return "pendiente";
    case RifaEstado::kActiva: return "activa";
    case RifaEstado::kCerrada: return "cerrada";
    case RifaEstado::kResuelta: return "resuelta";
    case RifaEstado::kCancelada: return "cancelada";
  }
  return "pendiente";
}

std::optional<RifaEstado> parse_rifa_estado(std::string_view text) {
  for (auto e : {RifaEstado::kPendiente, RifaEstado::kActiva, RifaEstado::kCerrada, RifaEstado::kResuelta,
                 RifaEstado::kCancelada}) {
    if (text == to_string(e)) return e;
  }
  return std::nullopt;
}

const char* to_string(Assignment assignment) { return assignment == Assignment::kRandom ? "random" : "sequential"; }

std::optional<Assignment> parse_assignment(std::string_view text) {
  if (text == "sequential") return Assignment::kSequential;
  if (text == "random") return Assignment::kRandom;
  return std::nullopt;
}

}  // namespace rifa::engine
