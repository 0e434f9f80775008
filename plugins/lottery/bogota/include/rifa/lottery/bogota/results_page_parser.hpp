#pragma once

#include <string_view>

#include "rifa/lottery/outcome.hpp"
#include "rifa/lottery/page_request.hpp"
#include "rifa/lottery/weekly_validation.hpp"

namespace rifa::lottery::bogota {

/// Reads https://loteriadebogota.com/resultados/, which shows only the latest draw:
/// `.resultado-sorteo` ("Sorteo 2830"), `.resultado-fecha` (the date), `tbody.mayor tr` with the
/// número digits in td[0] span(s) and the serie digits in td[1] span(s), and the secos in
/// `tbody.secos tr` (td[0] prize label, td[1] número, td[2] serie; the table may be absent).
/// The result block — the nearest element holding tbody.mayor, the sorteo and the date — must
/// name Lotería de Bogotá (its text, a logo's alt or file name, a title or class) and no other
/// lottery: the Quindío's result under Bogotá's header is not Bogotá's.
///   NotPublished — the page still shows an older draw, or número/serie/secos are placeholders.
///   ParseError   — a needed element is missing (the message names it), or the result block
///                  names no lottery or another one ("the result block names Lotería del
///                  Quindío, expected only Lotería de Bogotá: …").
///   ValidationError — the page shows a later draw, or validate_billete_draw refused it.
Outcome parse_bogota_results(std::string_view body, const PageRequest& request, const BilleteRules& rules);

}  // namespace rifa::lottery::bogota
