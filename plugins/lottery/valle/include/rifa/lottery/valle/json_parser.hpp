#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "rifa/lottery/outcome.hpp"
#include "rifa/lottery/page_request.hpp"
#include "rifa/lottery/weekly_validation.hpp"

namespace rifa::lottery::valle {

/// What the secos call (`datos=complemento_secos&sorteo=N`) gave.
struct SecosRead {
  OutcomeKind kind = OutcomeKind::kOk;  ///< kOk, kNotPublished (empty) or kParseError
  std::vector<SecondaryPrize> secos;
  std::string message;
};

/// Reads the body of POST …/resultado_v2/controladores/revisar_controlador.php with
/// `datos=tabla_normal`: a JSON array of {sorteo, fecha "YYYY-MM-DD HH:MM:SS", mayor: {resultado,
/// serie}}. Picks the entry whose fecha's date equals request.date, attaches `secos`, validates.
/// Números/series given as JSON numbers are zero-padded to 4/3 digits; as strings they must
/// already be digit strings of that width.
///   NotPublished — every entry is older than the date, or the entry holds placeholders.
///   ParseError   — not JSON / not an array / an entry lacks a field (named in the message).
///   ValidationError — no entry for a date the list already passed, or the validator refused.
Outcome parse_valle_tabla_normal(std::string_view body, const PageRequest& request, const BilleteRules& rules,
                                 const std::vector<SecondaryPrize>& secos = {});

/// Reads the body of the `datos=complemento_secos` call: a JSON array of {seco, resultado,
/// serie}. An empty body or [] is kNotPublished; anything not JSON is kParseError.
SecosRead parse_valle_secos(std::string_view body);

}  // namespace rifa::lottery::valle
