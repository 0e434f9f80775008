#pragma once

#include <string_view>

#include "rifa/lottery/baloto/baloto_rules.hpp"
#include "rifa/lottery/outcome.hpp"
#include "rifa/lottery/page_request.hpp"

namespace rifa::lottery::baloto {

/// Reads a per-draw page https://www.baloto.com/resultados-<juego>/<sorteo>/: container
/// `#balotoBgNew` with the juego's logo (baloto.png / revancha.png), "SORTEO 2.576", the date
/// "08 de Noviembre de 2025", and `.container-balls-results` with 5 `.yellow-ball` + 1
/// `.red-ball`. The date printed must equal request.date; the logo must match `juego`.
///   NotPublished — no balls yet, or balls are placeholders.
///   ParseError   — a needed element is missing (the message names it), or the page shows
///                  both games' logos or more than one set of balls.
///   ValidationError — wrong juego, wrong date, or validate_baloto_draw refused it.
Outcome parse_baloto_draw_page(std::string_view body, const PageRequest& request, Juego juego,
                               const BalotoConfig& config);

}  // namespace rifa::lottery::baloto
