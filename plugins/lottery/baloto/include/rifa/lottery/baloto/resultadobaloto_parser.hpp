#pragma once

#include <string_view>

#include "rifa/lottery/baloto/baloto_rules.hpp"
#include "rifa/lottery/outcome.hpp"
#include "rifa/lottery/page_request.hpp"

namespace rifa::lottery::baloto {

/// Reads the aggregator's year page https://resultadobaloto.com/resultados.php?anno=YYYY (never
/// authoritative; a fallback source): the table headed "Fecha | Combinación Ganadora | Super
/// Balota", one row per Baloto draw, balls as two-digit numbers. The page prints no sorteo, so the draw number is taken from
/// the calendar and only when the anchors pin it to one value.
///   NotPublished — the table has no row for the date yet (e.g. an empty <tbody> on 1 January).
///   ParseError   — no such table; a row that cannot be read; Revancha asked (not on this page).
///   ValidationError — validate_baloto_draw refused it, or the sorteo cannot be pinned.
Outcome parse_resultadobaloto_year(std::string_view body, const PageRequest& request, Juego juego,
                                   const BalotoConfig& config);

}  // namespace rifa::lottery::baloto
