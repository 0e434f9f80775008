#pragma once

#include <optional>
#include <string>

#include <soci/soci.h>

#include "engine/settlement/payout.hpp"
#include "storage/database_url.hpp"

// The SQL the payout repositories share (SqlPayoutRepository, SqlPrizeDeliveryRepository): reading
// a ganador with what paying it needs, and its payouts row (migration 0005). Functions run inside
// the caller's open transaction; SOCI errors propagate to it.
namespace rifa::storage {

std::optional<settlement::PrizeContext> load_prize(soci::session& sql, Backend backend, const std::string& ganador_id);
std::optional<settlement::PayoutStatus> read_payout(soci::session& sql, const std::string& ganador_id);
// Where the winner asked to be paid (cuentas_pago, migration 0021); nullopt while not recorded.
std::optional<settlement::PayoutAccount> read_account(soci::session& sql, const std::string& ganador_id);
// Locks the ganador's row until the transaction ends (PostgreSQL; SQLite's writers are serialised by
// BEGIN IMMEDIATE): the payout job's pin, an approval, a manual payment and an account change of
// one ganador run one after another. False when no such ganador.
bool lock_ganador(soci::session& sql, Backend backend, const std::string& ganador_id);
// The withholding record's beneficiary (migration 0026): copies the winner's name and document
// from users onto the ganadores rows `where` selects (a condition on ganadores with one :id
// parameter), unless the account was erased, whose snapshot stays as it was. Called where the
// withholding is computed or paid, and by the erasure before it blanks the users row.
void snapshot_beneficiary(soci::session& sql, const std::string& where, const std::string& id);
void snapshot_beneficiary(soci::session& sql, const std::string& ganador_id);
// Stores the withholding decided again for the year of payment (settlement::withholding_at_payment)
// on the ganador: gross, withheld, net, the year and its rule; and its beneficiary as of now.
void write_withholding(soci::session& sql, const std::string& ganador_id, const settlement::Withholding& w);

}  // namespace rifa::storage
