#pragma once

#include <chrono>

#include <soci/soci.h>

namespace rifa::storage {

// Makes a SQLite session wait for another writer's lock by trying again every `step` for up to
// `timeout`, then fail with SQLITE_BUSY ("database is locked"), instead of PRAGMA busy_timeout's
// backoff: SQLite's own handler sleeps 1, 2, 5, ... then 100 ms between tries, so under steady
// write contention (the pool's sessions all buying at once) a waiter slept on long after the lock
// was free, purchases queued in 100 ms steps and some gave up after the timeout (bench/api/run.sh
// on SQLite: p99 3.9 s and a 500 "database is locked" on a purchase's confirmation).
void install_sqlite_busy_wait(soci::session& session, std::chrono::microseconds step,
                              std::chrono::milliseconds timeout);

}  // namespace rifa::storage
