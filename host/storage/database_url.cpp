#include "storage/database_url.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <utility>
#include <vector>

namespace rifa::storage {
namespace {

namespace fs = std::filesystem;

using KeywordList = std::vector<std::pair<std::string, std::string>>;

Error invalid(std::string_view url, const std::string& why) {
  return make_error(ErrorCode::kInvalidArgument, "database URL '" + redact_database_url(url) + "': " + why);
}

bool is_keyword(std::string_view s) {
  if (s.empty() || !std::islower(static_cast<unsigned char>(s.front()))) return false;
  for (char c : s) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_')) {
      return false;
    }
  }
  return true;
}

// "host=x port=y" rather than a URI: the text before the first '=' is a bare keyword.
bool looks_like_keywords(std::string_view rest) {
  const size_t eq = rest.find('=');
  if (eq == std::string_view::npos) return false;
  std::string_view key = rest.substr(0, eq);
  while (!key.empty() && key.front() == ' ') key.remove_prefix(1);
  while (!key.empty() && key.back() == ' ') key.remove_suffix(1);
  return is_keyword(key);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    const int hi = hex_value(s[i + 1]);
    const int lo = hex_value(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

// SOCI 4.0's PostgreSQL backend re-tokenises the connect string on blanks before libpq sees it, so
// a quoted value with a blank inside is mangled. Backslash escapes survive, blanks cannot.
Result<std::string> to_keyword_string(std::string_view url, const KeywordList& keywords) {
  std::string out;
  for (const auto& [key, value] : keywords) {
    if (value.empty()) continue;
    std::string escaped;
    for (char c : value) {
      if (std::isspace(static_cast<unsigned char>(c))) {
        return invalid(url, "the value of '" + key + "' contains whitespace, which SOCI 4.0 cannot pass to libpq");
      }
      if (c == '\\' || c == '\'') escaped.push_back('\\');
      escaped.push_back(c);
    }
    if (!out.empty()) out.push_back(' ');
    out += key + "=" + escaped;
  }
  return out;
}

// libpq's keyword=value syntax: blanks around '=', values optionally in single quotes with
// backslash escapes.
Result<KeywordList> parse_keywords(std::string_view url, std::string_view text) {
  KeywordList out;
  size_t i = 0;
  auto skip_blanks = [&] {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  };
  while (true) {
    skip_blanks();
    if (i >= text.size()) break;
    const size_t key_start = i;
    while (i < text.size() && text[i] != '=' && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    std::string key(text.substr(key_start, i - key_start));
    skip_blanks();
    if (i >= text.size() || text[i] != '=') return invalid(url, "expected '=' after '" + key + "'");
    if (!is_keyword(key)) return invalid(url, "'" + key + "' is not a connection keyword");
    ++i;
    skip_blanks();
    std::string value;
    if (i < text.size() && text[i] == '\'') {
      ++i;
      bool closed = false;
      while (i < text.size()) {
        if (text[i] == '\\' && i + 1 < text.size()) {
          value.push_back(text[i + 1]);
          i += 2;
        } else if (text[i] == '\'') {
          ++i;
          closed = true;
          break;
        } else {
          value.push_back(text[i++]);
        }
      }
      if (!closed) return invalid(url, "unterminated quoted value for '" + key + "'");
    } else {
      while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) {
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        value.push_back(text[i++]);
      }
    }
    out.emplace_back(std::move(key), std::move(value));
  }
  if (out.empty()) return invalid(url, "no connection keywords");
  return out;
}

// postgresql://[user[:password]@][host[:port][,host[:port]...]][/dbname][?key=value&...]
Result<KeywordList> parse_uri(std::string_view url, std::string_view rest) {
  KeywordList out;
  std::string_view query;
  if (size_t q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  std::string_view path;
  if (size_t slash = rest.find('/'); slash != std::string_view::npos) {
    path = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
  }
  std::string_view authority = rest;
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    std::string_view user = userinfo;
    std::optional<std::string_view> password;
    if (size_t colon = userinfo.find(':'); colon != std::string_view::npos) {
      user = userinfo.substr(0, colon);
      password = userinfo.substr(colon + 1);
    }
    auto u = percent_decode(user);
    if (!u) return invalid(url, "bad percent-encoding in the user name");
    out.emplace_back("user", *u);
    if (password) {
      auto p = percent_decode(*password);
      if (!p) return invalid(url, "bad percent-encoding in the password");
      out.emplace_back("password", *p);
    }
  }
  if (!authority.empty()) {
    std::string hosts;
    std::string ports;
    bool any_port = false;
    size_t start = 0;
    while (start <= authority.size()) {
      size_t comma = authority.find(',', start);
      if (comma == std::string_view::npos) comma = authority.size();
      std::string_view hostport = authority.substr(start, comma - start);
      std::string_view host = hostport;
      std::string_view port;
      if (!hostport.empty() && hostport.front() == '[') {
        size_t close = hostport.find(']');
        if (close == std::string_view::npos) return invalid(url, "unterminated '[' in the host");
        host = hostport.substr(1, close - 1);
        std::string_view after = hostport.substr(close + 1);
        if (!after.empty()) {
          if (after.front() != ':') return invalid(url, "unexpected text after ']' in the host");
          port = after.substr(1);
        }
      } else if (size_t colon = hostport.rfind(':'); colon != std::string_view::npos) {
        host = hostport.substr(0, colon);
        port = hostport.substr(colon + 1);
      }
      for (char c : port) {
        if (!std::isdigit(static_cast<unsigned char>(c))) {
          return invalid(url, "port '" + std::string(port) + "' is not a number");
        }
      }
      auto h = percent_decode(host);
      if (!h) return invalid(url, "bad percent-encoding in the host");
      if (start > 0) {
        hosts.push_back(',');
        ports.push_back(',');
      }
      hosts += *h;
      ports += port;
      any_port = any_port || !port.empty();
      start = comma + 1;
    }
    if (!hosts.empty() && hosts != std::string(hosts.size(), ',')) out.emplace_back("host", hosts);
    if (any_port) out.emplace_back("port", ports);
  }
  if (!path.empty()) {
    auto db = percent_decode(path);
    if (!db) return invalid(url, "bad percent-encoding in the database name");
    out.emplace_back("dbname", *db);
  }
  size_t start = 0;
  while (start < query.size()) {
    size_t amp = query.find('&', start);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view pair = query.substr(start, amp - start);
    start = amp + 1;
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos) return invalid(url, "query parameter '" + std::string(pair) + "' has no value");
    auto key = percent_decode(pair.substr(0, eq));
    auto value = percent_decode(pair.substr(eq + 1));
    if (!key || !value) return invalid(url, "bad percent-encoding in the query");
    if (!is_keyword(*key)) return invalid(url, "'" + *key + "' is not a connection keyword");
    // A later occurrence wins, as in libpq; keep one entry per keyword.
    std::erase_if(out, [&](const auto& kv) { return kv.first == *key; });
    out.emplace_back(*key, *value);
  }
  return out;
}

Result<DatabaseUrl> parse_sqlite(std::string_view url, std::string_view rest, const fs::path& base_dir) {
  DatabaseUrl out;
  out.backend = Backend::kSqlite;
  if (rest.empty()) return invalid(url, "no database file after sqlite3://");
  if (rest == ":memory:") {
    out.sqlite_in_memory = true;
    out.connect_string = "sqlite3://db=:memory:";
    out.display = "sqlite3://:memory:";
    return out;
  }
  if (rest.find('"') != std::string_view::npos || rest.find('\n') != std::string_view::npos) {
    return invalid(url, "the file name must not contain '\"' or a line break");
  }
  fs::path file(rest);
  if (file.is_relative()) file = base_dir / file;
  std::error_code ec;
  fs::path absolute = fs::absolute(file, ec);
  if (ec) return invalid(url, "cannot make the path absolute: " + ec.message());
  absolute = absolute.lexically_normal();
  if (!absolute.has_filename()) return invalid(url, "the path names a folder, not a database file");
  out.sqlite_file = absolute;
  const std::string path = absolute.string();
  // SOCI's sqlite3 backend splits its options on blanks; a quoted value may hold them.
  out.connect_string = path.find(' ') == std::string::npos ? "sqlite3://db=" + path : "sqlite3://db=\"" + path + "\"";
  out.display = "sqlite3://" + path;
  return out;
}

Result<DatabaseUrl> parse_postgresql(std::string_view url, std::string_view rest) {
  auto keywords = looks_like_keywords(rest) ? parse_keywords(url, rest) : parse_uri(url, rest);
  if (!keywords) return keywords.error();
  auto connect = to_keyword_string(url, *keywords);
  if (!connect) return connect.error();
  DatabaseUrl out;
  out.backend = Backend::kPostgresql;
  out.connect_string = "postgresql://" + *connect;
  out.display = redact_database_url(url);
  return out;
}

}  // namespace

const char* backend_name(Backend backend) {
  switch (backend) {
    case Backend::kSqlite: return "sqlite";
    case Backend::kPostgresql: return "postgresql";
  }
  return "unknown";
}

Result<DatabaseUrl> parse_database_url(std::string_view url, const fs::path& base_dir) {
  const size_t sep = url.find("://");
  if (sep == std::string_view::npos) { return invalid(url, "no scheme; expected sqlite3://FILE or postgresql://..."); }
  const std::string_view scheme = url.substr(0, sep);
  const std::string_view rest = url.substr(sep + 3);
  if (scheme == "sqlite3") return parse_sqlite(url, rest, base_dir);
  if (scheme == "postgresql" || scheme == "postgres") return parse_postgresql(url, rest);
  return invalid(url, "unsupported scheme '" + std::string(scheme) + "'; expected sqlite3:// or postgresql://");
}

std::string redact_database_url(std::string_view url) {
  std::string out(url);
  const size_t sep = out.find("://");
  const size_t start = sep == std::string::npos ? 0 : sep + 3;
  if (!looks_like_keywords(std::string_view(out).substr(start))) {
    // URI userinfo: scheme://user:secret@host/...
    const size_t end = std::min(out.find_first_of("/?", start), out.size());
    const size_t at = std::string_view(out).substr(0, end).rfind('@');
    if (at != std::string::npos && at >= start) {
      const size_t colon = out.find(':', start);
      if (colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // password=secret in a keyword string or a URI query.
  size_t pos = 0;
  while ((pos = out.find("password", pos)) != std::string::npos) {
    const bool boundary =
        pos == 0 || out[pos - 1] == ' ' || out[pos - 1] == '?' || out[pos - 1] == '&' || out[pos - 1] == '/';
    size_t v = pos + 8;
    while (v < out.size() && out[v] == ' ') ++v;
    if (!boundary || v >= out.size() || out[v] != '=') {
      pos += 8;
      continue;
    }
    ++v;
    while (v < out.size() && out[v] == ' ') ++v;
    size_t v_end = v;
    if (v_end < out.size() && out[v_end] == '\'') {
      ++v_end;
      while (v_end < out.size() && out[v_end] != '\'') v_end += out[v_end] == '\\' ? 2 : 1;
      v_end = std::min(v_end + 1, out.size());
    } else {
      while (v_end < out.size() && out[v_end] != ' ' && out[v_end] != '&') ++v_end;
    }
    out.replace(v, v_end - v, "***");
    pos = v + 3;
  }
  return out;
}

}  // namespace rifa::storage
