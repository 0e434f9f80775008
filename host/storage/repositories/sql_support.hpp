#pragma once

#include <exception>
#include <optional>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "common/result.hpp"
#include "engine/audit_entry.hpp"
#include "engine/clock.hpp"
#include "storage/database.hpp"
#include "storage/repositories/audit_writer.hpp"

namespace rifa::storage {

// Helpers shared by the SQL repositories (the SOCI boundary of the engine's interfaces).

// A unique-constraint violation on either backend (SQLite "UNIQUE constraint failed", PostgreSQL
// SQLSTATE 23505 "duplicate key value violates unique constraint").
bool is_unique_violation(const Error& error);

// An optional text column bound for writing: the value and its indicator kept together, because
// soci::use keeps references to both until the statement runs.
struct NullableText {
  explicit NullableText(const std::optional<std::string>& v)
      : value(v.value_or(std::string())), indicator(v ? soci::i_ok : soci::i_null) {}
  std::string value;
  soci::indicator indicator;
};

inline std::optional<std::string> optional_text(const std::string& value, soci::indicator ind) {
  if (ind != soci::i_ok) return std::nullopt;
  return value;
}

// Reads a timestamp column as text in either backend's form; an unreadable one is a bug in the
// data, so it throws (the transaction helper turns it into an error).
engine::TimePoint read_timestamp(const std::string& text);

inline AuditRecord audit_record(const engine::AuditEntry& entry, engine::TimePoint at) {
  return AuditRecord{entry.actor, entry.action, entry.entity, entry.entity_id, entry.data, at};
}

// Runs one step of a repository on a transaction the caller holds open: a SOCI error becomes a
// kDatabase error instead of escaping (the caller's handle rolls back when it ends uncommitted).
template <typename Fn>
auto guarded(Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const std::exception& e) { return database_error(e); }
}

// "LIMIT n OFFSET m" from already validated numbers (never user text).
std::string limit_clause(int per_page, long long offset);

// SELECT count(*) FROM `from_and_where` (e.g. "tickets WHERE rifa_id = :rifa"), binding `values`
// to its placeholders in order: the total of a filtered page.
long long count_rows(soci::session& sql, const std::string& from_and_where, const std::vector<std::string>& values);

}  // namespace rifa::storage
