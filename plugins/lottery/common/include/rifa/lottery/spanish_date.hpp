#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "rifa/lottery/date.hpp"

namespace rifa::lottery {

/// Month number (1..12) for a Spanish month name in any case ("Diciembre", "setiembre");
/// nullopt for anything else.
std::optional<unsigned> spanish_month(std::string_view word);

/// Finds the first date written the ways Colombian lottery pages write them:
///   "31 de Diciembre de 2025", "ayer Miércoles 31 de diciembre de 2025", "01 septiembre 2026",
///   "Septiembre 02 2026", "31/12/2025", "2025-12-31".
/// A weekday word is ignored (it is never evidence of the date). Returns nullopt when no complete,
/// real date is present.
std::optional<Date> find_spanish_date(std::string_view text);

/// Date → "31 de Diciembre de 2025" (the official Baloto spelling; used by page renderers).
std::string format_spanish_long(const Date& date);

/// Capitalised Spanish month name ("Diciembre").
std::string spanish_month_name(unsigned month);

}  // namespace rifa::lottery
