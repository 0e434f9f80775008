#include "storage/repositories/sql_support.hpp"

#include <stdexcept>

#include "storage/timestamps.hpp"

namespace rifa::storage {

bool is_unique_violation(const Error& error) {
  const std::string& m = error.message;
  return m.find("UNIQUE constraint failed") != std::string::npos || m.find("duplicate key value") != std::string::npos ||
         m.find("23505") != std::string::npos;
}

engine::TimePoint read_timestamp(const std::string& text) {
  auto parsed = parse_timestamp(text);
  if (!parsed) throw std::runtime_error("unreadable timestamp in the database: '" + text + "'");
  return *parsed;
}

std::string limit_clause(int per_page, long long offset) {
  return " LIMIT " + std::to_string(per_page) + " OFFSET " + std::to_string(offset);
}

}  // namespace rifa::storage
