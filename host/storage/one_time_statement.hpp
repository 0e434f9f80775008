#pragma once

#include <string>
#include <utility>

#include <soci/soci.h>

namespace rifa::storage {

// A statement run once, for when the caller needs the statement itself (get_affected_rows(),
// fetch()). `soci::statement st = (sql.prepare << ...)` makes SOCI's PostgreSQL backend PREPARE a
// named statement, execute it and DEALLOCATE it: three round trips. A one-time statement is one
// PQexecParams, like `sql << ...`. SQLite compiles every statement either way.
//   auto st = one_time_statement(sql, "UPDATE t SET a = :a WHERE id = :id", soci::use(a), soci::use(id));
//   st.execute(true);
//   if (st.get_affected_rows() != 1) ...
// The bound variables must outlive the statement's execution, as with any SOCI binding.
template <typename... Exchanges>
soci::statement one_time_statement(soci::session& sql, const std::string& query, Exchanges&&... exchanges) {
  soci::statement st(sql);
  (st.exchange(std::forward<Exchanges>(exchanges)), ...);
  st.alloc();
  st.prepare(query, soci::details::st_one_time_query);
  st.define_and_bind();
  return st;
}

// Executes `st` and calls `each()` once per row, after the row is fetched into the variables bound
// with soci::into: the SOCI row loop, written once.
//   auto st = one_time_statement(sql, "SELECT id FROM t", soci::into(id));
//   for_each_row(st, [&] { out.push_back(id); });
template <typename Each>
void for_each_row(soci::statement& st, Each&& each) {
  if (st.execute(true)) {
    do { each(); } while (st.fetch());
  }
}

}  // namespace rifa::storage
