// notifier_email: mails the player an event is about, through SMTP (libcurl: STARTTLS or implicit
// TLS, AUTH), as multipart/alternative text + HTML in Spanish (es-CO: "$ 12.500",
// "lunes 7 de diciembre de 2026"), from built-in templates or a folder that overrides them.
//
// The host adds the recipient's contact as far as this instance declares it ("contact" must list
// "email"; "nombre" makes the greeting personal). Events without a recipient address, and types
// without a template (ticket_sold: the receipt covers the sale; the rifa's own events), send
// nothing and succeed. A failure to send fails the call: a 5xx reply (mailbox unknown, message
// refused) answers RIFA_ERR_DECLINED and the host gives the event up; anything else (4xx, refused
// connection, timeout) answers RIFA_ERR_TRANSPORT / RIFA_ERR_TIMEOUT and the host's job queue
// retries it with backoff, then leaves it dead (GET /admin/jobs).
//
// Never two mails for one event id: ids sent are remembered (in memory and, with `sent_file`,
// across restarts: one line per id appended after the server accepted the mail), a repeat of a
// sent id succeeds without mailing, and two calls for one id at once send once. Message-ID is
// derived from the event id too, so a mail client folds a copy that slipped through. At most
// `max_concurrent` SMTP sessions run at once per instance.
#include <condition_variable>
#include <ctime>
#include <fstream>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "es_co_format.hpp"
#include "notifier/event.hpp"
#include "rifa/sdk/plugin.hpp"
#include "smtp_sender.hpp"
#include "templates.hpp"

namespace rifa::plugins::email {
namespace {

using nlohmann::json;
using sdk::Error;

std::string base64(const std::string& data) {
  std::string out(4 * ((data.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(data.data()), static_cast<int>(data.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

// Base64 in lines of 76 characters, CRLF-terminated (RFC 2045).
std::string base64_lines(const std::string& data) {
  const std::string encoded = base64(data);
  std::string out;
  for (size_t i = 0; i < encoded.size(); i += 76) out += encoded.substr(i, 76) + "\r\n";
  return out;
}

// An RFC 2047 encoded word when the text is not plain ASCII.
std::string header_text(const std::string& text) {
  for (unsigned char c : text) {
    if (c >= 0x80 || c < 0x20) return "=?UTF-8?B?" + base64(text) + "?=";
  }
  return text;
}

std::string rfc2822_date(int64_t unix_ms) {
  const std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  static const char* const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday], tm.tm_mday,
                kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buffer;
}

bool safe_header_value(const std::string& text) { return text.find_first_of("\r\n") == std::string::npos; }

int64_t integer(const json& data, const char* name) {
  auto it = data.find(name);
  return it != data.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

std::string text(const json& data, const char* name) {
  auto it = data.find(name);
  if (it == data.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

// What the templates may say about an event.
Variables variables_of(const json& event, const json& recipient) {
  const json data = event.value("data", json::object());
  Variables v;
  v["nombre"] = recipient.value("nombre", "jugador");
  v["event_id"] = event.value("event_id", "");
  v["rifa_id"] = event.value("rifa_id", json("")).is_string() ? event["rifa_id"].get<std::string>() : "";
  // The rifa by its name (the host adds rifa_nombre); by its id from a host that does not.
  const std::string rifa_nombre = text(event, "rifa_nombre");
  v["rifa"] = rifa_nombre.empty() ? v["rifa_id"] : rifa_nombre;
  v["fecha"] = format_fecha(event.value("occurred_at", "")).value_or("");
  v["transaccion"] = text(data, "transaccion_id");
  if (data.contains("numeros") && data["numeros"].is_array()) {
    std::string numeros;
    for (const auto& n : data["numeros"])
      numeros += (numeros.empty() ? "" : ", ") + (n.is_string() ? n.get<std::string>() : n.dump());
    v["numeros"] = numeros;
  }
  v["total"] = format_cop(integer(data, "total_cents"));
  v["numero"] = text(data, "numero");
  v["ganador_id"] = text(data, "ganador_id");
  v["categoria_premio"] = text(data, "tier_name");
  const bool in_kind = data.value("in_kind", false);
  v["premio"] = in_kind ? text(data, "descripcion") : format_cop(integer(data, "monto_ganado"));
  // Retención en la fuente on prizes (the host's prize_tax.hpp): said only when something is withheld.
  const int64_t retencion = integer(data, "retencion");
  if (retencion > 0 && in_kind) {
    v["retencion_detalle"] = "Retención en la fuente: antes de la entrega debes pagar " + format_cop(retencion) +
                             " (sobre el valor comercial del premio, " + format_cop(integer(data, "monto_bruto")) +
                             ").";
  } else if (retencion > 0) {
    v["retencion_detalle"] = "Premio bruto: " + format_cop(integer(data, "monto_bruto")) +
                             "; retención en la fuente: " + format_cop(retencion) + "; recibirás " +
                             format_cop(integer(data, "monto_neto")) + ".";
  } else {
    v["retencion_detalle"] = "";
  }
  v["siguiente_paso"] =
      in_kind ? "te contactaremos en los próximos días para acordar la entrega del premio; ten a mano tu documento "
                "de identidad."
              : "enviaremos el premio al medio de pago de tu cuenta; te avisaremos por este medio cuando salga. "
                "Verifica que tus datos de pago estén al día.";
  v["monto"] =
      format_cop(data.contains("amount_cents") ? integer(data, "amount_cents") : integer(data, "refunded_cents"));
  v["referencia"] = text(data, "payout_ref");
  v["motivo"] = text(data, "reason");
  return v;
}

class EmailNotifier final : public sdk::NotifierPlugin {
 public:
  static constexpr uint32_t kPluginFlags = 0;  // concurrent calls, bounded by max_concurrent

  EmailNotifier(sdk::Host host, std::string instance_id, std::string config_json)
      : NotifierPlugin(host, std::move(instance_id), std::move(config_json)), templates_(load_templates()) {
    try {
      const json config = json::parse(this->config_json());
      smtp_.url = config.at("smtp_url").get<std::string>();
      smtp_.starttls = config.value("starttls", "required");
      smtp_.username = config.value("username", "");
      smtp_.password = config.value("password", "");
      smtp_.ca_file = config.value("ca_file", "");
      smtp_.verify_tls = config.value("verify_tls", true);
      smtp_.timeout_ms = config.value("timeout_ms", 30000u);
      from_ = config.at("from").get<std::string>();
      max_concurrent_ = config.value("max_concurrent", 4);
      sent_file_ = config.value("sent_file", "");
      bool has_email = false;
      for (const auto& field : config.value("contact", json::array())) has_email = has_email || field == "email";
      if (!has_email) throw Error(RIFA_ERR_CONFIG, "contact must list \"email\": the host gives no address otherwise");
    } catch (const json::exception& e) { throw Error(RIFA_ERR_CONFIG, std::string("invalid config: ") + e.what()); }
    if (!safe_header_value(from_)) throw Error(RIFA_ERR_CONFIG, "from must be one line");
    if (!sent_file_.empty()) {
      std::ifstream in(sent_file_);
      for (std::string line; std::getline(in, line);) {
        if (!line.empty()) sent_.insert(line);
      }
    }
  }

  void deliver(const std::string& event_json) override {
    notifier::Event parsed = notifier::parse_event(event_json);
    const json& event = parsed.document;
    const std::string& event_id = parsed.event_id;
    const std::string& type = parsed.type;
    const json recipient = event.value("recipient", json::object());
    const std::string to = recipient.is_object() ? recipient.value("email", "") : "";
    const auto mail = templates_.find(type);
    if (!mail || to.empty()) return;  // nothing to mail for this event, or no one to mail it to
    if (!safe_header_value(to) || to.find('@') == std::string::npos) {
      throw Error(RIFA_ERR_INVALID_ARGUMENT, "the recipient's email is not an address");
    }

    Claim claim(*this, event_id);
    if (!claim.owned) return;  // sent already (or by the call sending it right now)
    const Variables variables = variables_of(event, recipient);
    const std::string message = compose(*mail, variables, event_id, to, recipient.value("nombre", ""));
    {
      Slot slot(*this);
      send_mail(smtp_, from_, to, message);
    }
    claim.sent();
    host().info("mailed " + type + " " + event_id);
  }

 private:
  Templates load_templates() const {
    std::filesystem::path dir;
    try {
      dir = json::parse(config_json()).value("templates_dir", "");
    } catch (const json::exception&) {}  // the constructor reports the broken config
    try {
      return Templates(dir);
    } catch (const std::invalid_argument& e) { throw Error(RIFA_ERR_INVALID_ARGUMENT, e.what()); }
  }

  std::string compose(const MailTemplate& mail, const Variables& variables, const std::string& event_id,
                      const std::string& to, const std::string& nombre) const {
    const std::string subject = render(mail.subject, variables, false);
    const std::string text_part = render(mail.text, variables, false);
    const std::string html_part = render(mail.html, variables, true);
    const std::string boundary = "=_rifa1122_" + event_id;
    const std::string to_header =
        nombre.empty() || !safe_header_value(nombre) ? to : header_text(nombre) + " <" + to + ">";
    std::string m;
    m += "From: " + from_ + "\r\n";
    m += "To: " + to_header + "\r\n";
    m += "Subject: " + header_text(subject) + "\r\n";
    m += "Date: " + rfc2822_date(host().now_unix_ms()) + "\r\n";
    m += "Message-ID: <" + event_id + "@rifa1122>\r\n";
    m += "MIME-Version: 1.0\r\n";
    m += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
    m += "--" + boundary + "\r\n";
    m += "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    m += base64_lines(text_part);
    m += "--" + boundary + "\r\n";
    m += "Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    m += base64_lines(html_part);
    m += "--" + boundary + "--\r\n";
    return m;
  }

  // The right to send one event id: taken when no other call holds it and it was not sent.
  struct Claim {
    Claim(EmailNotifier& n, std::string id) : notifier(n), event_id(std::move(id)) {
      std::lock_guard<std::mutex> lock(notifier.mutex_);
      owned = !notifier.sent_.count(event_id) && notifier.in_flight_.insert(event_id).second;
    }
    void sent() {
      std::lock_guard<std::mutex> lock(notifier.mutex_);
      notifier.sent_.insert(event_id);
      if (!notifier.sent_file_.empty()) {
        std::ofstream out(notifier.sent_file_, std::ios::app);
        out << event_id << "\n" << std::flush;
      }
    }
    ~Claim() {
      if (!owned) return;
      std::lock_guard<std::mutex> lock(notifier.mutex_);
      notifier.in_flight_.erase(event_id);
    }
    EmailNotifier& notifier;
    std::string event_id;
    bool owned = false;
  };

  // One of max_concurrent SMTP sessions.
  struct Slot {
    explicit Slot(EmailNotifier& n) : notifier(n) {
      std::unique_lock<std::mutex> lock(notifier.mutex_);
      notifier.slot_freed_.wait(lock, [&] { return notifier.sessions_ < notifier.max_concurrent_; });
      ++notifier.sessions_;
    }
    ~Slot() {
      {
        std::lock_guard<std::mutex> lock(notifier.mutex_);
        --notifier.sessions_;
      }
      notifier.slot_freed_.notify_one();
    }
    EmailNotifier& notifier;
  };

  Templates templates_;
  SmtpOptions smtp_;
  std::string from_;
  int max_concurrent_ = 4;
  std::string sent_file_;
  std::mutex mutex_;
  std::condition_variable slot_freed_;
  int sessions_ = 0;
  std::set<std::string> sent_;
  std::set<std::string> in_flight_;
};

}  // namespace
}  // namespace rifa::plugins::email

RIFA_PLUGIN(rifa::plugins::email::EmailNotifier, RIFA_KIND_NOTIFIER, "email", "1.0.0",
            "Mails players their receipts, prizes and payouts through SMTP, in Spanish (es-CO)",
            R"json({
  "type": "object",
  "additionalProperties": false,
  "required": ["smtp_url", "from", "contact"],
  "properties": {
    "smtp_url": {"type": "string", "pattern": "^smtps?://[^/]+$",
                 "description": "smtp://host:587 (with starttls) or smtps://host:465 (implicit TLS)"},
    "starttls": {"type": "string", "enum": ["required", "opportunistic", "none"], "default": "required",
                 "description": "For smtp:// URLs: refuse to send in clear (required), upgrade when offered, or never"},
    "username": {"type": "string", "minLength": 1, "description": "SMTP AUTH user; absent: no AUTH"},
    "password": {"type": "string"},
    "ca_file": {"type": "string", "minLength": 1, "description": "PEM file of the CA to trust instead of the system's"},
    "verify_tls": {"type": "boolean", "default": true},
    "from": {"type": "string", "minLength": 3, "maxLength": 320,
             "description": "The From header, e.g. \"Rifa1122 <no-responder@rifa.example>\""},
    "templates_dir": {"type": "string", "minLength": 1,
                      "description": "Folder whose <type>.subject / <type>.txt / <type>.html override the built-in templates"},
    "max_concurrent": {"type": "integer", "minimum": 1, "maximum": 64, "default": 4},
    "timeout_ms": {"type": "integer", "minimum": 1000, "maximum": 300000, "default": 30000},
    "sent_file": {"type": "string", "minLength": 1,
                  "description": "Remembers the event ids mailed (one per line) so a restart never mails one twice"},
    "contact": {"type": "array", "minItems": 1, "maxItems": 2,
                "description": "What the host adds about the player: must list email; nombre personalises the greeting",
                "items": {"type": "string", "enum": ["email", "nombre"]}}
  }
})json")
