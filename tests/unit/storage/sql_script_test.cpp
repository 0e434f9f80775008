#include <gtest/gtest.h>

#include "storage/sql_script.hpp"

namespace rifa::storage {
namespace {

std::vector<std::string> texts(std::string_view script, Backend backend) {
  auto r = split_sql_script(script, backend);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  std::vector<std::string> out;
  if (r.ok()) {
    for (const auto& s : *r) out.push_back(s.text);
  }
  return out;
}

using Texts = std::vector<std::string>;

TEST(SqlScript, SplitsOnSemicolonsAndDropsComments) {
  const char* script =
      "-- header; with a semicolon\n"
      "CREATE TABLE a (x INT); /* block; comment */\n"
      "INSERT INTO a VALUES (1);\n"
      "\n"
      "SELECT 1";
  EXPECT_EQ(texts(script, Backend::kSqlite), (Texts{"CREATE TABLE a (x INT)", "INSERT INTO a VALUES (1)", "SELECT 1"}));
}

TEST(SqlScript, ReportsTheLineEachStatementStartsOn) {
  auto r = split_sql_script("-- one\n\nSELECT 1;\n  SELECT\n 2;", Backend::kPostgresql);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].line, 3);
  EXPECT_EQ((*r)[1].line, 4);
  EXPECT_EQ((*r)[1].text, "SELECT\n 2");
}

TEST(SqlScript, QuotesKeepSemicolonsAndDashes) {
  EXPECT_EQ(
      texts("INSERT INTO t VALUES ('a;b', 'it''s -- not a comment');SELECT \"odd;name\" FROM t;", Backend::kSqlite),
      (Texts{"INSERT INTO t VALUES ('a;b', 'it''s -- not a comment')", "SELECT \"odd;name\" FROM t"}));
}

TEST(SqlScript, PostgresEscapeStringsAndDollarQuotes) {
  const char* script =
      "SELECT E'a\\';b';\n"
      "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\n"
      "BEGIN\n  RAISE EXCEPTION 'no; never';\nEND;\n$$;\n"
      "SELECT $tag$ x; $$ y; $tag$;\n"
      "SELECT $1";
  EXPECT_EQ(texts(script, Backend::kPostgresql),
            (Texts{"SELECT E'a\\';b'",
                   "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  RAISE EXCEPTION 'no; never';\n"
                   "END;\n$$",
                   "SELECT $tag$ x; $$ y; $tag$", "SELECT $1"}));
}

TEST(SqlScript, SqliteTriggerBodyIsOneStatement) {
  const char* script =
      "CREATE TRIGGER t BEFORE UPDATE ON a\nBEGIN\n  SELECT CASE WHEN 1 THEN 2 END;\n"
      "  SELECT RAISE(ABORT, 'no');\nEND;\n"
      "CREATE TEMP TRIGGER u AFTER INSERT ON a BEGIN DELETE FROM b; END;\n"
      "SELECT 3;";
  EXPECT_EQ(texts(script, Backend::kSqlite),
            (Texts{"CREATE TRIGGER t BEFORE UPDATE ON a\nBEGIN\n  SELECT CASE WHEN 1 THEN 2 END;\n"
                   "  SELECT RAISE(ABORT, 'no');\nEND",
                   "CREATE TEMP TRIGGER u AFTER INSERT ON a BEGIN DELETE FROM b; END", "SELECT 3"}));
}

TEST(SqlScript, UnterminatedPartsAreErrorsWithTheirLine) {
  auto s = split_sql_script("SELECT 1;\nSELECT 'abc;\n", Backend::kSqlite);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.error().message, "unterminated string starting at line 2");
  auto c = split_sql_script("SELECT 1; /* open\n", Backend::kSqlite);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().message, "unterminated comment starting at line 1");
  auto d = split_sql_script("\n\nDO $x$ BEGIN END $y$;", Backend::kPostgresql);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().message, "unterminated dollar-quoted body starting at line 3");
  auto i = split_sql_script("SELECT \"x;", Backend::kPostgresql);
  ASSERT_FALSE(i.ok());
  EXPECT_EQ(i.error().message, "unterminated quoted identifier starting at line 1");
}

TEST(SqlScript, PostgresNestedBlockComments) {
  EXPECT_EQ(texts("/* a /* b; */ c; */ SELECT 1;", Backend::kPostgresql), (Texts{"SELECT 1"}));
}

TEST(SqlScript, EmptyScriptHasNoStatements) { EXPECT_EQ(texts("  -- nothing\n ; ;\n", Backend::kSqlite), Texts{}); }

}  // namespace
}  // namespace rifa::storage
