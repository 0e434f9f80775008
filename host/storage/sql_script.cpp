#include "storage/sql_script.hpp"

#include <algorithm>
#include <cctype>

namespace rifa::storage {
namespace {

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::toupper(c); });
  return out;
}

std::string trim(std::string s) {
  const auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

Error unterminated(const char* what, int line) {
  return make_error(ErrorCode::kInvalidArgument,
                    std::string("unterminated ") + what + " starting at line " + std::to_string(line));
}

class Splitter {
 public:
  Splitter(std::string_view script, Backend backend) : s_(script), backend_(backend) {}

  Result<std::vector<SqlStatement>> run() {
    while (i_ < s_.size()) {
      const char c = s_[i_];
      const char next = i_ + 1 < s_.size() ? s_[i_ + 1] : '\0';
      if (c == '-' && next == '-') {
        while (i_ < s_.size() && s_[i_] != '\n') ++i_;
        current_.push_back(' ');
      } else if (c == '/' && next == '*') {
        if (auto r = skip_block_comment(); !r) return r.error();
        current_.push_back(' ');
      } else if (c == '\'' || c == '"') {
        const bool backslashes = c == '\'' && backend_ == Backend::kPostgresql && last_char_is_e_prefix();
        if (auto r = copy_quoted(c, backslashes); !r) return r.error();
        note_token("'");
      } else if (c == '$' && backend_ == Backend::kPostgresql && dollar_tag_length() > 0) {
        if (auto r = copy_dollar_quoted(); !r) return r.error();
        note_token("$");
      } else if (c == ';') {
        ++i_;
        if (ends_statement()) {
          flush();
        } else {
          current_.push_back(';');
          note_token(";");
        }
      } else if (is_word_char(c)) {
        mark_start();
        const size_t start = i_;
        while (i_ < s_.size() && is_word_char(s_[i_])) ++i_;
        current_.append(s_.substr(start, i_ - start));
        note_token(upper(s_.substr(start, i_ - start)));
      } else {
        if (!std::isspace(static_cast<unsigned char>(c))) {
          mark_start();
          note_token(std::string(1, c));
        }
        if (c == '\n') ++line_;
        current_.push_back(c);
        ++i_;
      }
    }
    flush();
    return std::move(out_);
  }

 private:
  void mark_start() {
    if (start_line_ == 0) start_line_ = line_;
  }

  void note_token(std::string token) {
    if (leading_.size() < 3) leading_.push_back(token);
    prev_token_ = std::move(last_token_);
    last_token_ = std::move(token);
  }

  // SQLite's trigger body holds ';'-terminated statements and ends with "END;" right after one of them.
  bool ends_statement() const {
    if (backend_ != Backend::kSqlite || leading_.empty() || leading_[0] != "CREATE") return true;
    const bool trigger =
        (leading_.size() > 1 && leading_[1] == "TRIGGER") ||
        (leading_.size() > 2 && (leading_[1] == "TEMP" || leading_[1] == "TEMPORARY") && leading_[2] == "TRIGGER");
    if (!trigger) return true;
    return last_token_ == "END" && prev_token_ == ";";
  }

  void flush() {
    std::string text = trim(std::move(current_));
    if (!text.empty()) out_.push_back({std::move(text), start_line_ == 0 ? line_ : start_line_});
    current_.clear();
    leading_.clear();
    last_token_.clear();
    prev_token_.clear();
    start_line_ = 0;
  }

  bool last_char_is_e_prefix() const {
    if (current_.empty()) return false;
    const char e = current_.back();
    if (e != 'E' && e != 'e') return false;
    return current_.size() < 2 || !is_word_char(current_[current_.size() - 2]);
  }

  Result<void> skip_block_comment() {
    const int start = line_;
    int depth = 0;
    while (i_ < s_.size()) {
      if (s_[i_] == '/' && i_ + 1 < s_.size() && s_[i_ + 1] == '*') {
        // PostgreSQL nests block comments; SQLite ends at the first */.
        if (depth == 0 || backend_ == Backend::kPostgresql) ++depth;
        i_ += 2;
      } else if (s_[i_] == '*' && i_ + 1 < s_.size() && s_[i_ + 1] == '/') {
        i_ += 2;
        if (--depth == 0) return {};
      } else {
        if (s_[i_] == '\n') ++line_;
        ++i_;
      }
    }
    return unterminated("comment", start);
  }

  Result<void> copy_quoted(char quote, bool backslashes) {
    mark_start();
    const int start = line_;
    current_.push_back(s_[i_++]);
    while (i_ < s_.size()) {
      const char c = s_[i_++];
      current_.push_back(c);
      if (c == '\n') ++line_;
      if (backslashes && c == '\\' && i_ < s_.size()) {
        if (s_[i_] == '\n') ++line_;
        current_.push_back(s_[i_++]);
      } else if (c == quote) {
        if (i_ < s_.size() && s_[i_] == quote) {
          current_.push_back(s_[i_++]);
        } else {
          return {};
        }
      }
    }
    return unterminated(quote == '\'' ? "string" : "quoted identifier", start);
  }

  // Length of a $tag$ opener at i_ (0 when there is none): $$ or $name$, not $1 or a word's $.
  size_t dollar_tag_length() const {
    if (!current_.empty() && is_word_char(current_.back())) return 0;
    size_t j = i_ + 1;
    if (j < s_.size() && std::isdigit(static_cast<unsigned char>(s_[j]))) return 0;
    while (j < s_.size() && is_word_char(s_[j])) ++j;
    if (j < s_.size() && s_[j] == '$') return j - i_ + 1;
    return 0;
  }

  Result<void> copy_dollar_quoted() {
    mark_start();
    const int start = line_;
    const size_t tag_length = dollar_tag_length();
    const std::string_view tag = s_.substr(i_, tag_length);
    const size_t close = s_.find(tag, i_ + tag_length);
    if (close == std::string_view::npos) return unterminated("dollar-quoted body", start);
    const size_t end = close + tag_length;
    const std::string_view body = s_.substr(i_, end - i_);
    line_ += static_cast<int>(std::count(body.begin(), body.end(), '\n'));
    current_.append(body);
    i_ = end;
    return {};
  }

  std::string_view s_;
  Backend backend_;
  size_t i_ = 0;
  int line_ = 1;
  int start_line_ = 0;
  std::string current_;
  std::vector<std::string> leading_;
  std::string last_token_;
  std::string prev_token_;
  std::vector<SqlStatement> out_;
};

}  // namespace

Result<std::vector<SqlStatement>> split_sql_script(std::string_view script, Backend backend) {
  return Splitter(script, backend).run();
}

}  // namespace rifa::storage
