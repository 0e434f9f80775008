#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "storage/database_url.hpp"

namespace rifa::storage {

struct SqlStatement {
  std::string text;  // without the trailing ';' and without comments
  int line = 0;      // 1-based line of the statement's first character in the script
};

// Splits a script into single statements, because SOCI's SQLite backend runs only the first
// statement of a string. Semicolons inside '...' strings (with '' escapes; E'...' on PostgreSQL),
// "..." identifiers, -- and /* */ comments, PostgreSQL $tag$...$tag$ bodies and SQLite
// CREATE TRIGGER ... BEGIN ... END bodies do not split. Fails with kInvalidArgument on an
// unterminated string, identifier, comment or dollar-quoted body, naming its line.
Result<std::vector<SqlStatement>> split_sql_script(std::string_view script, Backend backend);

}  // namespace rifa::storage
