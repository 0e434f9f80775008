#include "storage/repositories/sql_support.hpp"

#include <stdexcept>

#include "storage/timestamps.hpp"

namespace rifa::storage {

bool is_unique_violation(const Error& error) {
  const std::string& m = error.message;
  return m.find("UNIQUE constraint failed") != std::string::npos ||
         m.find("duplicate key value") != std::string::npos || m.find("23505") != std::string::npos;
}

engine::TimePoint read_timestamp(const std::string& text) {
  auto parsed = parse_timestamp(text);
  if (!parsed) throw std::runtime_error("unreadable timestamp in the database: '" + text + "'");
  return *parsed;
}

std::string limit_clause(int per_page, long long offset) {
  return " LIMIT " + std::to_string(per_page) + " OFFSET " + std::to_string(offset);
}

long long count_rows(soci::session& sql, const std::string& from_and_where, const std::vector<std::string>& values) {
  long long total = 0;
  soci::statement st(sql);
  st.exchange(soci::into(total));
  for (const auto& v : values) st.exchange(soci::use(v));
  st.alloc();
  st.prepare("SELECT count(*) FROM " + from_and_where, soci::details::st_one_time_query);
  st.define_and_bind();
  st.execute(true);
  return total;
}

}  // namespace rifa::storage
