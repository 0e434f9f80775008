#include "templates.hpp"

#include <fstream>
#include <stdexcept>
#include <sstream>

namespace rifa::plugins::email {
namespace {

std::string html_page(const std::string& body) {
  return "<!DOCTYPE html>\n<html lang=\"es-CO\"><head><meta charset=\"UTF-8\"></head>\n"
         "<body style=\"font-family: sans-serif\">\n" +
         body + "\n<p style=\"color:#666\">Rifa1122 · {{fecha}}</p>\n</body></html>\n";
}

std::map<std::string, MailTemplate> defaults() {
  std::map<std::string, MailTemplate> t;
  t["receipt"] = {"Tu compra en la rifa {{rifa}}: {{numeros}}",
                  "Hola, {{nombre}}:\n\n"
                  "Recibimos tu pago de {{total}} el {{fecha}}.\n"
                  "Rifa: {{rifa}}\n"
                  "Números comprados: {{numeros}}\n"
                  "Transacción: {{transaccion}}\n\n"
                  "Guarda este correo: es tu comprobante. ¡Mucha suerte!\n",
                  html_page("<p>Hola, {{nombre}}:</p>\n"
                            "<p>Recibimos tu pago de <strong>{{total}}</strong> el {{fecha}}.</p>\n"
                            "<p>Rifa: <strong>{{rifa}}</strong></p>\n"
                            "<p>Números comprados: <strong>{{numeros}}</strong></p>\n"
                            "<p>Transacción: <code>{{transaccion}}</code></p>\n"
                            "<p>Guarda este correo: es tu comprobante. ¡Mucha suerte!</p>")};
  t["winner"] = {
      "¡Ganaste en la rifa {{rifa}}! Tu número {{numero}} obtuvo {{premio}}",
      "Hola, {{nombre}}:\n\n"
      "¡Felicitaciones! Tu número {{numero}} ganó en el sorteo de la rifa {{rifa}} ({{categoria_premio}}).\n"
      "Premio: {{premio}}\n"
      "{{retencion_detalle}}\n\n"
      "Qué sigue: {{siguiente_paso}}\n"
      "Si tienes preguntas, responde a este correo citando el código {{ganador_id}}.\n",
      html_page("<p>Hola, {{nombre}}:</p>\n"
                "<p><strong>¡Felicitaciones!</strong> Tu número <strong>{{numero}}</strong> ganó en el sorteo "
                "de la rifa <strong>{{rifa}}</strong> ({{categoria_premio}}).</p>\n"
                "<p>Premio: <strong>{{premio}}</strong></p>\n"
                "<p>{{retencion_detalle}}</p>\n"
                "<p>Qué sigue: {{siguiente_paso}}</p>\n"
                "<p>Si tienes preguntas, responde a este correo citando el código <code>{{ganador_id}}</code>.</p>")};
  t["payout_sent"] = {
      "Te enviamos tu premio de {{monto}}",
      "Hola, {{nombre}}:\n\nEl {{fecha}} enviamos tu premio de {{monto}} (rifa {{rifa}}).\n"
      "Referencia del pago: {{referencia}}\n",
      html_page("<p>Hola, {{nombre}}:</p>\n<p>El {{fecha}} enviamos tu premio de <strong>{{monto}}</strong> "
                "(rifa <strong>{{rifa}}</strong>).</p>\n"
                "<p>Referencia del pago: <code>{{referencia}}</code></p>")};
  t["payout_failed"] = {
      "No pudimos enviar tu premio de {{monto}}",
      "Hola, {{nombre}}:\n\nNo pudimos enviar tu premio de {{monto}} (rifa {{rifa}}): {{motivo}}.\n"
      "Revisa tus datos de pago en tu cuenta; lo intentaremos de nuevo.\n",
      html_page("<p>Hola, {{nombre}}:</p>\n<p>No pudimos enviar tu premio de <strong>{{monto}}</strong> "
                "(rifa <strong>{{rifa}}</strong>): "
                "{{motivo}}.</p>\n<p>Revisa tus datos de pago en tu cuenta; lo intentaremos de nuevo.</p>")};
  t["refund"] = {
      "Te devolvimos {{monto}}",
      "Hola, {{nombre}}:\n\nLa rifa {{rifa}} fue cancelada y el {{fecha}} te devolvimos {{monto}}.\n"
      "Transacción: {{transaccion}}\n",
      html_page("<p>Hola, {{nombre}}:</p>\n<p>La rifa <strong>{{rifa}}</strong> fue cancelada y el {{fecha}} "
                "te devolvimos "
                "<strong>{{monto}}</strong>.</p>\n<p>Transacción: <code>{{transaccion}}</code></p>")};
  return t;
}

std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string html_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

Templates::Templates(const std::filesystem::path& override_dir) : templates_(defaults()) {
  if (override_dir.empty()) return;
  std::error_code error;
  if (!std::filesystem::is_directory(override_dir, error)) {
    throw std::invalid_argument("templates_dir: " + override_dir.string() + " is not a folder");
  }
  // A type with no built-in mail (ticket_sold, rifa_opened, ...) gets one when the folder has its
  // <type>.subject: then its .txt and .html must be there too, since nothing built in fills them.
  for (const auto& entry : std::filesystem::directory_iterator(override_dir, error)) {
    if (entry.path().extension() != ".subject") continue;
    const std::string type = entry.path().stem().string();
    if (templates_.count(type) != 0) continue;
    for (const char* part : {".txt", ".html"}) {
      if (!std::filesystem::is_regular_file(override_dir / (type + part))) {
        throw std::invalid_argument("templates_dir: " + (override_dir / (type + ".subject")).string() +
                                    " adds a mail for '" + type + "' but " + type + part +
                                    " is missing (a new type has no built-in part to fall back on)");
      }
    }
    templates_[type] = MailTemplate{};
  }
  for (auto& [type, t] : templates_) {
    if (auto subject = read_file(override_dir / (type + ".subject"))) {
      while (!subject->empty() && (subject->back() == '\n' || subject->back() == '\r')) subject->pop_back();
      t.subject = *subject;
    }
    if (auto text = read_file(override_dir / (type + ".txt"))) t.text = *text;
    if (auto html = read_file(override_dir / (type + ".html"))) t.html = *html;
  }
}

std::optional<MailTemplate> Templates::find(const std::string& type) const {
  auto it = templates_.find(type);
  if (it == templates_.end()) return std::nullopt;
  return it->second;
}

std::string render(const std::string& text, const Variables& variables, bool html) {
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t open = text.find("{{", pos);
    if (open == std::string::npos) break;
    const size_t close = text.find("}}", open + 2);
    if (close == std::string::npos) break;
    out.append(text, pos, open - pos);
    const std::string name = text.substr(open + 2, close - open - 2);
    auto it = variables.find(name);
    if (it != variables.end()) out += html ? html_escape(it->second) : it->second;
    pos = close + 2;
  }
  out.append(text, pos, std::string::npos);
  return out;
}

}  // namespace rifa::plugins::email
