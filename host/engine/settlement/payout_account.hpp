#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

// Where a winner asked to be paid (PUT /ganadores/{id}/cuenta) and who may see what of it.
namespace rifa::settlement {

// A bank account (tipo "bancaria": banco, tipo_cuenta, numero) or a Nequi wallet (tipo "nequi":
// telefono), with the holder's document either way. Held whole only on its way to the payment
// plugin; every reply, audit row and log line gets masked_json().
struct PayoutAccount {
  std::string tipo;              // bancaria | nequi
  std::string banco;             // bancaria: a slug of kBanks
  std::string tipo_cuenta;       // bancaria: ahorros | corriente
  std::string numero;            // bancaria: digits only
  std::string telefono;          // nequi: the 10-digit mobile number, without +57
  std::string documento_tipo;    // CC | CE | PP
  std::string documento_numero;  // as player_rules' check_document stores it
};

// The banks an account may be at (Superintendencia Financiera's establecimientos bancarios that
// take transfers to savings and current accounts): slug and name.
struct Bank {
  const char* slug;
  const char* nombre;
};
inline constexpr Bank kBanks[] = {
    {"agrario", "Banco Agrario de Colombia"},
    {"av_villas", "Banco AV Villas"},
    {"bancamia", "Bancamía"},
    {"bancolombia", "Bancolombia"},
    {"bancoomeva", "Bancoomeva"},
    {"bbva", "BBVA Colombia"},
    {"bogota", "Banco de Bogotá"},
    {"caja_social", "Banco Caja Social"},
    {"citibank", "Citibank"},
    {"colpatria", "Scotiabank Colpatria"},
    {"davivienda", "Davivienda"},
    {"falabella", "Banco Falabella"},
    {"finandina", "Banco Finandina"},
    {"gnb_sudameris", "Banco GNB Sudameris"},
    {"itau", "Itaú"},
    {"mundo_mujer", "Banco Mundo Mujer"},
    {"occidente", "Banco de Occidente"},
    {"pichincha", "Banco Pichincha"},
    {"popular", "Banco Popular"},
    {"serfinanza", "Banco Serfinanza"},
    {"w", "Banco W"},
};

// The account as sent, checked field by field. Errors are kInvalidArgument (422) naming the field:
// tipo (bancaria | nequi); banco (one of kBanks); tipo_cuenta (ahorros | corriente); numero (6 to
// 20 digits once spaces and dashes are dropped, not all one digit); telefono (a Colombian mobile:
// 10 digits starting with 3, an optional +57 / 57 in front); documento_tipo / documento_numero as
// for a sign-up (CC, CE or PP). Members of the other tipo must be absent (nullopt).
struct PayoutAccountInput {
  std::string tipo;
  std::optional<std::string> banco, tipo_cuenta, numero, telefono;
  std::string documento_tipo, documento_numero;
};
Result<PayoutAccount> check_payout_account(const PayoutAccountInput& input);

// All but the last four characters replaced by '*' ("12345678901" → "*******8901"); a value of
// four characters or fewer is all stars.
std::string mask_tail(std::string_view value);

// {"tipo", "banco", "banco_nombre", "tipo_cuenta", "numero", "telefono", "documento_tipo",
// "documento_numero"} with numero, telefono and documento_numero masked; the members of the other
// tipo are left out. The only shape in which an account leaves the payout code.
nlohmann::json masked_json(const PayoutAccount& account);

// The whole account, for the payment plugin's payout request only (beneficiary.cuenta).
nlohmann::json plugin_json(const PayoutAccount& account);

// A cash prize whose gross is above the threshold waits for an admin's approval before it is paid
// (by the payout job or by hand). No threshold: none waits.
inline bool needs_approval(int64_t gross_cents, std::optional<int64_t> threshold_cents) {
  return threshold_cents && gross_cents > *threshold_cents;
}

}  // namespace rifa::settlement
