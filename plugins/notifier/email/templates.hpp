#pragma once
// The mails' words: a subject, a text part and an HTML part per event type, in Spanish, with
// {{variable}} placeholders. Built-in defaults; a folder named in the config may override any of
// them with files <type>.subject, <type>.txt and <type>.html (UTF-8), and may add a mail for an
// event type that has none built in (all three files then). The rifa-wide events (rifa_opened,
// rifa_closed, result_published) carry no recipient, so a mail for them is never sent: they are
// for webhooks and the live feed.

#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace rifa::plugins::email {

struct MailTemplate {
  std::string subject;
  std::string text;
  std::string html;
};

using Variables = std::map<std::string, std::string>;

class Templates {
 public:
  // `override_dir` empty: the defaults only. Files are read once, here. Throws std::invalid_argument
  // when the folder is missing or adds a type without its .txt or .html.
  explicit Templates(const std::filesystem::path& override_dir);
  // The template of an event type; nullopt for types that send no mail (ticket_sold: the receipt
  // says it; events about the rifa only have no recipient).
  std::optional<MailTemplate> find(const std::string& type) const;

 private:
  std::map<std::string, MailTemplate> templates_;
};

// Replaces every {{name}} by its value (HTML-escaped when `html`); an unknown name becomes "".
std::string render(const std::string& text, const Variables& variables, bool html);

}  // namespace rifa::plugins::email
