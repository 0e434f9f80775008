// Kept in its own file: SOCI's SQLite header declares the sqlite3 API inside namespace sqlite_api.
#include "storage/sqlite_busy_wait.hpp"

#include <thread>

#include <soci/sqlite3/soci-sqlite3.h>

namespace rifa::storage {
namespace {

namespace sq = ::sqlite_api;

struct BusyWait {
  std::chrono::microseconds step;
  long long tries;  // timeout / step
};

int busy_wait(void* arg, int tries_so_far) {
  const auto* wait = static_cast<const BusyWait*>(arg);
  if (tries_so_far >= wait->tries) return 0;  // SQLITE_BUSY to the caller
  std::this_thread::sleep_for(wait->step);
  return 1;
}

}  // namespace

void install_sqlite_busy_wait(soci::session& session, std::chrono::microseconds step,
                              std::chrono::milliseconds timeout) {
  // One per process and setting: the handler's argument must outlive every session using it.
  static const BusyWait wait{step,
                             std::chrono::duration_cast<std::chrono::microseconds>(timeout).count() / step.count()};
  auto* backend = static_cast<soci::sqlite3_session_backend*>(session.get_backend());
  sq::sqlite3_busy_handler(backend->conn_, &busy_wait, const_cast<BusyWait*>(&wait));
}

}  // namespace rifa::storage
