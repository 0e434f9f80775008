#pragma once

#include <string>

#include <soci/soci.h>

#include "engine/clock.hpp"
#include "storage/database_url.hpp"

namespace rifa::storage {

// Freezes a rifa's commitment (engine/settlement/commitment.hpp) inside the caller's transaction, right
// after the rifa became activa: reads the committed values from the rows themselves (so what is
// hashed is exactly what is stored), makes the seed for random assignment, writes commitment (its
// canonical text), commitment_hash, activada_en, assignment_seed and fecha_sorteo (the date of
// fecha_fin in America/Bogota when none was set), and appends the "rifa.activated" audit entry.
// From then on migration 0006's trigger refuses any change to what the commitment covers.
// Returns the commitment hash. SOCI errors propagate to the caller's transaction.
std::string freeze_commitment(soci::session& sql, Backend backend, const std::string& rifa_id, const std::string& actor,
                              engine::TimePoint now);

}  // namespace rifa::storage
