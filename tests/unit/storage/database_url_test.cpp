#include <gtest/gtest.h>

#include "storage/database_url.hpp"

namespace rifa::storage {
namespace {

const std::filesystem::path kBase = "/srv/rifa";

DatabaseUrl parse_ok(std::string_view url) {
  auto parsed = parse_database_url(url, kBase);
  EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().message);
  return parsed.ok() ? *parsed : DatabaseUrl{};
}

std::string parse_error(std::string_view url) {
  auto parsed = parse_database_url(url, kBase);
  EXPECT_FALSE(parsed.ok()) << url;
  if (parsed.ok()) return "";
  EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
  return parsed.error().message;
}

TEST(DatabaseUrl, SqliteRelativeIsResolvedAgainstBaseDir) {
  auto u = parse_ok("sqlite3://var/rifa.db");
  EXPECT_EQ(u.backend, Backend::kSqlite);
  EXPECT_EQ(u.connect_string, "sqlite3://db=/srv/rifa/var/rifa.db");
  EXPECT_EQ(u.display, "sqlite3:///srv/rifa/var/rifa.db");
  EXPECT_EQ(u.sqlite_file, "/srv/rifa/var/rifa.db");
  EXPECT_FALSE(u.sqlite_in_memory);
}

TEST(DatabaseUrl, SqliteRelativeIsNormalised) {
  EXPECT_EQ(parse_ok("sqlite3://./data/../var/rifa.db").connect_string, "sqlite3://db=/srv/rifa/var/rifa.db");
}

TEST(DatabaseUrl, SqliteAbsolute) {
  auto u = parse_ok("sqlite3:///var/lib/rifa/rifa.db");
  EXPECT_EQ(u.connect_string, "sqlite3://db=/var/lib/rifa/rifa.db");
  EXPECT_EQ(u.sqlite_file, "/var/lib/rifa/rifa.db");
}

TEST(DatabaseUrl, SqlitePathWithBlankIsQuoted) {
  EXPECT_EQ(parse_ok("sqlite3:///tmp/my data/rifa.db").connect_string, "sqlite3://db=\"/tmp/my data/rifa.db\"");
}

TEST(DatabaseUrl, SqliteInMemory) {
  auto u = parse_ok("sqlite3://:memory:");
  EXPECT_TRUE(u.sqlite_in_memory);
  EXPECT_TRUE(u.sqlite_file.empty());
  EXPECT_EQ(u.connect_string, "sqlite3://db=:memory:");
  EXPECT_EQ(u.display, "sqlite3://:memory:");
}

TEST(DatabaseUrl, SqliteErrors) {
  EXPECT_EQ(parse_error("sqlite3://"), "database URL 'sqlite3://': no database file after sqlite3://");
  EXPECT_EQ(parse_error("sqlite3:///var/lib/"),
            "database URL 'sqlite3:///var/lib/': the path names a folder, not a database file");
  EXPECT_EQ(parse_error("sqlite3:///tmp/a\"b.db"),
            "database URL 'sqlite3:///tmp/a\"b.db': the file name must not contain '\"' or a line break");
}

TEST(DatabaseUrl, PostgresUriBecomesKeywords) {
  auto u = parse_ok("postgresql://rifa:s3cret@db.example.com:5433/rifa_prod?sslmode=require&connect_timeout=5");
  EXPECT_EQ(u.backend, Backend::kPostgresql);
  EXPECT_EQ(u.connect_string,
            "postgresql://user=rifa password=s3cret host=db.example.com port=5433 dbname=rifa_prod sslmode=require "
            "connect_timeout=5");
  EXPECT_EQ(u.display, "postgresql://rifa:***@db.example.com:5433/rifa_prod?sslmode=require&connect_timeout=5");
}

TEST(DatabaseUrl, PostgresUriPercentDecoding) {
  auto u = parse_ok("postgres://r%40fa:p%40ss%3Aw%2Fd@localhost/my%5Fdb");
  EXPECT_EQ(u.connect_string, "postgresql://user=r@fa password=p@ss:w/d host=localhost dbname=my_db");
  EXPECT_EQ(u.display, "postgres://r%40fa:***@localhost/my%5Fdb");
}

TEST(DatabaseUrl, PostgresUriQuoteAndBackslashAreEscaped) {
  EXPECT_EQ(parse_ok("postgresql://u:it's%5Cok@h/db").connect_string,
            "postgresql://user=u password=it\\'s\\\\ok host=h dbname=db");
}

TEST(DatabaseUrl, PostgresUriSocketDirAndIpv6AndMinimal) {
  EXPECT_EQ(parse_ok("postgresql://%2Fvar%2Frun%2Fpostgresql/rifa").connect_string,
            "postgresql://host=/var/run/postgresql dbname=rifa");
  EXPECT_EQ(parse_ok("postgresql://[::1]:5432/rifa").connect_string, "postgresql://host=::1 port=5432 dbname=rifa");
  EXPECT_EQ(parse_ok("postgresql://localhost").connect_string, "postgresql://host=localhost");
  EXPECT_EQ(parse_ok("postgresql://a:5432,b:5433/rifa").connect_string,
            "postgresql://host=a,b port=5432,5433 dbname=rifa");
  EXPECT_EQ(parse_ok("postgresql:///rifa?host=/tmp").connect_string, "postgresql://dbname=rifa host=/tmp");
}

TEST(DatabaseUrl, PostgresUserWithoutPasswordIsNotRedacted) {
  auto u = parse_ok("postgresql://postgres@127.0.0.1:55432/postgres");
  EXPECT_EQ(u.connect_string, "postgresql://user=postgres host=127.0.0.1 port=55432 dbname=postgres");
  EXPECT_EQ(u.display, "postgresql://postgres@127.0.0.1:55432/postgres");
}

TEST(DatabaseUrl, PostgresKeywordForm) {
  auto u = parse_ok("postgresql://host=127.0.0.1 port=5432 dbname=rifa user=rifa password='secr\\'et'");
  EXPECT_EQ(u.connect_string, "postgresql://host=127.0.0.1 port=5432 dbname=rifa user=rifa password=secr\\'et");
  EXPECT_EQ(u.display, "postgresql://host=127.0.0.1 port=5432 dbname=rifa user=rifa password=***");
  // The quoted password holds a blank, which SOCI 4.0 cannot pass on.
  EXPECT_EQ(parse_error("postgresql://host=h password='se cr\\'et'"),
            "database URL 'postgresql://host=h password=***': the value of 'password' contains whitespace, which "
            "SOCI 4.0 cannot pass to libpq");
  EXPECT_EQ(parse_ok("postgresql://host = h  dbname=rifa password=x\\'y").connect_string,
            "postgresql://host=h dbname=rifa password=x\\'y");
}

TEST(DatabaseUrl, PostgresErrors) {
  EXPECT_EQ(parse_error("postgresql://u:pw@h:54x2/db"),
            "database URL 'postgresql://u:***@h:54x2/db': port '54x2' is not a number");
  EXPECT_EQ(parse_error("postgresql://u:pw@h/db?sslmode"),
            "database URL 'postgresql://u:***@h/db?sslmode': query parameter 'sslmode' has no value");
  EXPECT_EQ(parse_error("postgresql://u:pw@h/db%zz"),
            "database URL 'postgresql://u:***@h/db%zz': bad percent-encoding in the database name");
  EXPECT_EQ(parse_error("postgresql://host=h port"),
            "database URL 'postgresql://host=h port': expected '=' after 'port'");
  EXPECT_EQ(parse_error("postgresql://host=h password='x"),
            "database URL 'postgresql://host=h password=***': unterminated quoted value for 'password'");
}

TEST(DatabaseUrl, UnknownSchemeIsRefusedWithoutShowingThePassword) {
  EXPECT_EQ(parse_error("mysql://root:hunter2@localhost/rifa"),
            "database URL 'mysql://root:***@localhost/rifa': unsupported scheme 'mysql'; expected sqlite3:// or "
            "postgresql://");
  EXPECT_EQ(parse_error("rifa.db"), "database URL 'rifa.db': no scheme; expected sqlite3://FILE or postgresql://...");
}

TEST(DatabaseUrl, Redaction) {
  EXPECT_EQ(redact_database_url("postgresql://u:p@h/db?password=x&sslmode=require"),
            "postgresql://u:***@h/db?password=***&sslmode=require");
  EXPECT_EQ(redact_database_url("postgresql://host=h password = 'a b' user=u"),
            "postgresql://host=h password = *** user=u");
  EXPECT_EQ(redact_database_url("sqlite3:///var/rifa.db"), "sqlite3:///var/rifa.db");
}

TEST(DatabaseUrl, BackendNames) {
  EXPECT_STREQ(backend_name(Backend::kSqlite), "sqlite");
  EXPECT_STREQ(backend_name(Backend::kPostgresql), "postgresql");
}

}  // namespace
}  // namespace rifa::storage
