#pragma once

#include <filesystem>

#include "common/result.hpp"
#include "storage/database.hpp"
#include "storage/timestamps.hpp"

namespace rifa::storage {

// Rows inserted by one load_seed call; rows already present (same id) are counted as skipped.
struct SeedReport {
  int categorias = 0;
  int loterias = 0;
  int rifas = 0;
  int tickets = 0;
  int skipped = 0;
};

// Loads dir/categorias.json, dir/loterias.json and dir/rifas.json (format: fixtures/seed/README.md)
// in one transaction. Idempotent: a row whose id exists is left alone, and a rifa's tickets are
// created only together with the rifa. Rifa dates are days relative to `now`. A missing or
// malformed file is kInvalidArgument naming the file and the entry; database failures kDatabase.
Result<SeedReport> load_seed(Database& db, const std::filesystem::path& dir,
                             TimePoint now = std::chrono::system_clock::now());

}  // namespace rifa::storage
