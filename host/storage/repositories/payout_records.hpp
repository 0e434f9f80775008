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

std::optional<settlement::PrizeContext> load_prize(soci::session& sql, Backend backend,
                                                   const std::string& ganador_id);
std::optional<settlement::PayoutStatus> read_payout(soci::session& sql, const std::string& ganador_id);

}  // namespace rifa::storage
