#pragma once

#include <string_view>

#include "rifa/lottery/baloto/baloto_rules.hpp"
#include "rifa/lottery/outcome.hpp"
#include "rifa/lottery/page_request.hpp"

namespace rifa::lottery::baloto {

/// Reads the official listing https://baloto.com/resultados?page=N: `table#results-table`, one
/// row per draw and juego (image baloto-kind/revancha-kind, "31 de Diciembre de 2025",
/// "22 - 24 - 27 - 37 - 40 - <span class=balota-red-results>08</span>", link
/// /resultados-<juego>/<sorteo>). Picks the row whose printed date equals request.date and whose
/// juego — said by both its image and its link, never by its position — equals `juego`, then
/// validates it. When the banner shows that night, the row must agree with the banner's block
/// for `juego`, found by its logo (src/listing_banner.hpp): a row carrying the other game's balls
/// is refused.
///   NotPublished — the newest row is older than the date, or the row's balls are placeholders.
///   ParseError   — the table or a needed cell is missing ("baloto listing: no
///                  table#results-table in page"), a row lacks its image or its link, the
///                  banner shows the night but no block carries the game's logo alone, or the
///                  date is older than the page covers.
///   ValidationError — validate_baloto_draw refused it, two rows disagree, or the row and the
///                  banner disagree ("… rows swapped or page damaged").
Outcome parse_baloto_listing(std::string_view body, const PageRequest& request, Juego juego,
                             const BalotoConfig& config);

}  // namespace rifa::lottery::baloto
