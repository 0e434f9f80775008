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

}  // namespace rifa::storage
